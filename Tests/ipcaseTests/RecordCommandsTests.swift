import Foundation
import IPCase
import IPCaseSamples
import IPCaseStore
import Testing

/// Runs `ipcase` against `url` and requires exit code 0; returns standard output.
private func ok(_ arguments: [String], _ url: String) async throws -> String {
    let result = try await Binary.run(arguments, database: url)
    #expect(result.status == 0, "ipcase \(arguments.joined(separator: " ")): \(result.stderr)")
    return result.stdout
}

/// The value of `name` in the `field  value` lines `show` prints.
private func field(_ name: String, in output: String) -> String? {
    output.split(separator: "\n").first { $0.hasPrefix(name + "  ") }.map {
        $0.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
    }
}

/// An office with an inventor pair, a licensee and a filed right, for the records commands.
private let recordsDatabase: Task<String, any Error> = Task { try await makeRecordsDatabase() }

/// A migrated database with the records every test here starts from (office 1, its parties,
/// right 1 filed); tests that would shift the keys others expect get their own.
private func makeRecordsDatabase() async throws -> String {
    let url = try await ThrowawayDatabase.migratedURL()
    _ = try await ok(
        ["offices", "create", "--name", "Alatau TTO", "--region", "almaty-city", "--kind", "university"], url)
    for (name, kind, role) in [
        ("Aizhan Utebayeva", "person", "inventor"), ("Bolat Nurlanov", "person", "inventor"),
        ("KazSorb LLP", "organization", "licensee"),
    ] {
        _ = try await ok(
            [
                "parties", "create", "--office", "1", "--name", name, "--kind", kind, "--sector", "academia", "--role",
                role,
            ],
            url)
    }
    _ = try await ok(
        [
            "rights", "create", "--office", "1", "--ref", "ATU-1-KZ", "--jurisdiction", "KZ", "--kind", "patent",
            "--title", "Sorbent",
        ], url)
    _ = try await ok(
        [
            "events", "record", "--office", "1", "--right", "1", "--event", "filed=2025-03-14", "--number",
            "2025/0123.1",
        ],
        url)
    return url
}

@Suite("ipcase end to end: create, show, update and list of every record kind", .serialized)
struct RecordCommandsTests {
    @Test func officeAndPartyRoundTrip() async throws {
        let url = try await recordsDatabase.value
        #expect(try await ok(["offices", "show", "1"], url).contains("rights       1"))
        _ = try await ok(["offices", "update", "1", "--name", "Alatau University TTO"], url)
        #expect(try await ok(["offices", "list"], url).contains("Alatau University TTO"))
        let office = try jsonObject(try await ok(["offices", "show", "1", "--format", "json"], url))
        #expect(office["name"] as? String == "Alatau University TTO")
        #expect(office["version"] as? Int == 2)

        _ = try await ok(["parties", "update", "3", "--office", "1", "--sector", "industry", "--country", "kz"], url)
        let party = try jsonObject(try await ok(["parties", "show", "3", "--office", "1", "--format", "json"], url))
        #expect(party["sector"] as? String == "industry")
        #expect(party["name"] as? String == "KazSorb LLP")
        #expect(try await ok(["parties", "list", "--office", "1"], url).contains("KazSorb LLP"))
    }

    @Test("a person's gender and career stage are recorded only with a consent date, shown, and removed when consent is withdrawn")
    func demographicsNeedConsent() async throws {
        let url = try await recordsDatabase.value
        let create = [
            "parties", "create", "--office", "1", "--name", "Gulnara Sadykova", "--kind", "person", "--sector",
            "academia", "--role", "inventor", "--gender", "female", "--career-stage", "early-career",
        ]
        let refused = try await Binary.run(create, database: url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--gender and --career-stage need --consented-on"), "\(refused.stderr)")
        let created = try await ok(create + ["--consented-on", "2025-02-01"], url)
        let id = String(try #require(created.split(separator: " ").dropFirst().first?.dropLast()))
        let shown = try await ok(["parties", "show", id, "--office", "1"], url)
        #expect(shown.contains("female, early-career (consent 2025-02-01)"), "\(shown)")
        let organization = try await Binary.run(
            [
                "parties", "create", "--office", "1", "--name", "Some LLP", "--kind", "organization", "--sector",
                "industry", "--gender", "male", "--consented-on", "2025-02-01",
            ], database: url)
        #expect(organization.status == 2)
        #expect(organization.stderr.contains("recorded for people only"))
        _ = try await ok(["parties", "update", id, "--office", "1", "--career-stage", "mid-career"], url)
        #expect(try await ok(["parties", "show", id, "--office", "1"], url).contains("female, mid-career (consent 2025-02-01)"))
        _ = try await ok(["parties", "update", id, "--office", "1", "--withdraw-consent"], url)
        #expect(!(try await ok(["parties", "show", id, "--office", "1"], url)).contains("consent"))
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM parties WHERE id = \(id) AND gender IS NULL AND demographics_consented_on IS NULL")
                == 1)

        // parties.csv: the same rule per row.
        let columns = RecordFile.parties.columns + ["gender", "career_stage", "consented_on"]
        func file(_ consented: String) throws -> String {
            let row: [String: String] = [
                "name": "Yerlan Kassym", "kind": "person", "sector": "academia", "roles": "inventor", "gender": "male",
                "career_stage": "student", "consented_on": consented,
            ]
            return try temporaryFile(
                "parties.csv", CSVText.record(columns) + CSVText.record(columns.map { row[$0] ?? "" }))
        }
        let noConsent = try await Binary.run(["import", "parties", try file(""), "--office", "1", "--quiet"], database: url)
        #expect(noConsent.status == 2)
        #expect(
            noConsent.stderr.contains("parties.csv row 2, column consented_on: gender and career stage need the day the person consented"),
            "\(noConsent.stderr)")
        let imported = try await Binary.run(
            ["import", "parties", try file("2025-03-03"), "--office", "1", "--quiet"], database: url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            try await Databases.count(
                url,
                "SELECT count(*)::int FROM parties WHERE name = 'Yerlan Kassym' AND gender = 'male' AND career_stage = 'student' AND demographics_consented_on = date '2025-03-03'"
            ) == 1)
    }

    /// Issue 11 §5: reminders reach a person only when the office has a supervisor or the
    /// attorney an e-mail; both are entered, shown, changed and removed through the CLI.
    @Test func contactsForNoticesAreEnteredShownAndRemoved() async throws {
        let url = try await recordsDatabase.value
        let created = try await ok(
            [
                "offices", "create", "--name", "Contacts TTO", "--region", "astana", "--kind", "university",
                "--supervisor-name", "Dana Omarova", "--supervisor-email", "dana.omarova@alatau.edu.kz",
            ], url)
        let office = try #require(created.split(separator: ":").first?.split(separator: " ").last.map(String.init))
        #expect(
            field("supervisor", in: try await ok(["offices", "show", office], url))
                == "Dana Omarova <dana.omarova@alatau.edu.kz>")
        let updated = try await ok(["offices", "update", office, "--no-supervisor"], url)
        let afterUpdate = try await ok(["offices", "show", office], url)
        #expect(field("supervisor", in: afterUpdate)?.hasPrefix("none") == true)
        // The version printed is the one the office now has (the next --expect-version).
        #expect(updated.hasSuffix("(version \(field("version", in: afterUpdate) ?? "?"))\n"))

        let party = try await ok(
            [
                "parties", "create", "--office", office, "--name", "Ruslan Lebedev", "--kind", "person", "--sector",
                "other", "--role", "attorney", "--email", "r.lebedev@patent.kz", "--phone", "+7 727 250 00 00",
            ], url)
        let id = try #require(party.split(separator: ":").first?.split(separator: " ").last.map(String.init))
        let shown = try await ok(["parties", "show", id, "--office", office], url)
        #expect(field("email", in: shown) == "r.lebedev@patent.kz")
        #expect(field("phone", in: shown) == "+7 727 250 00 00")
        _ = try await ok(["parties", "update", id, "--office", office, "--email", ""], url)
        #expect(field("email", in: try await ok(["parties", "show", id, "--office", office], url)) == nil)

        // parties.csv: optional email and phone columns, each value checked and named by row.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contacts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let good = directory.appendingPathComponent("parties.csv").path
        try """
            office,name,kind,roles,sector,region,country,department,email,phone
            Contacts TTO,Saule Abenova,person,attorney,other,astana,KZ,,s.abenova@patent.kz,+7 717 200 00 00

            """.write(toFile: good, atomically: true, encoding: .utf8)
        _ = try await ok(["import", "parties", good, "--office", office], url)
        let listed = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try await ok(["parties", "list", "--office", office, "--format", "json"], url).utf8))
                as? [[String: Any]])
        let abenova = try #require(listed.first { $0["name"] as? String == "Saule Abenova" })
        #expect(abenova["email"] as? String == "s.abenova@patent.kz")
        let bad = directory.appendingPathComponent("bad.csv").path
        try """
            office,name,kind,roles,sector,region,country,department,email,phone
            Contacts TTO,Nurlan Bek,person,attorney,other,astana,KZ,,nurlan.patent.kz,

            """.write(toFile: bad, atomically: true, encoding: .utf8)
        let refusedCSV = try await Binary.run(["import", "parties", bad, "--office", office], database: url)
        #expect(refusedCSV.status != 0)
        #expect(refusedCSV.stderr.contains("row 2, column email"), "\(refusedCSV.stderr)")

        for (option, value) in [("--email", "lebedev at patent.kz"), ("--phone", "call me")] {
            let refused = try await Binary.run(
                ["parties", "update", id, "--office", office, option, value], database: url)
            #expect(refused.status == 2, "\(option) \(value): \(refused.stderr)")
            #expect(refused.stderr.contains(option))
        }
    }

    /// Issue 13: an office's notices go in its language, set and shown through the CLI.
    @Test("an office's language is set at creation and by update, shown, and anything but en, kk or ru refused")
    func anOfficesLanguageIsSetShownAndChecked() async throws {
        let url = try await recordsDatabase.value
        let created = try await ok(
            [
                "offices", "create", "--name", "Tilder TTO", "--region", "astana", "--kind", "university",
                "--language", "kk",
            ], url)
        let office = try #require(created.split(separator: ":").first?.split(separator: " ").last.map(String.init))
        #expect(field("language", in: try await ok(["offices", "show", office], url)) == "kk")
        let listed = try await ok(["offices", "list"], url)
        #expect(listed.split(separator: "\n").first?.contains("LANGUAGE") == true)
        #expect(listed.split(separator: "\n").contains { $0.contains("Tilder TTO") && $0.hasSuffix("kk") })
        _ = try await ok(["offices", "update", office, "--language", "ru"], url)
        let json = try jsonObject(try await ok(["offices", "show", office, "--format", "json"], url))
        #expect(json["language"] as? String == "ru")
        let list = try await ok(["offices", "list", "--format", "json"], url)
        #expect(list.contains(#""language":"ru""#) || list.contains(#""language" : "ru""#))
        let commands = [
            ["offices", "update", office], ["offices", "create", "--name", "X", "--region", "astana", "--kind", "university"],
        ]
        for command in commands {
            let refused = try await Binary.run(command + ["--language", "de"], database: url)
            #expect(refused.status == 2)
            #expect(
                refused.stderr.contains("offices \(command[1]): --language 'de' is not one of en, kk, ru"),
                "stderr: \(refused.stderr)")
        }
        #expect(field("language", in: try await ok(["offices", "show", office], url)) == "ru", "nothing written")
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM offices WHERE name = 'X'") == 0)
    }

    @Test func disclosureRoundTripWithInventorsSummingTo100() async throws {
        let url = try await recordsDatabase.value
        let created = try await ok(
            [
                "disclosures", "create", "--office", "1", "--ref", "DS-1", "--title", "Sorbent from rice husk",
                "--received", "2025-02-03", "--inventor", "1=60", "--inventor", "2=40", "--funding", "grant-programme",
                "--trl", "4", "--ipc", "b01j20/20",
            ], url)
        #expect(created.hasPrefix("disclosure 1: DS-1"))
        let shown = try await ok(["disclosures", "show", "1", "--office", "1"], url)
        #expect(shown.contains("party 1 60.00 %, party 2 40.00 %"))
        #expect(shown.contains("B01J 20/20"))
        _ = try await ok(["disclosures", "update", "1", "--office", "1", "--trl", "5"], url)
        let listed = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try await ok(["disclosures", "list", "--office", "1", "--format", "json"], url).utf8))
                as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed.first?["readiness"] as? Int == 5)
        #expect(listed.first?["version"] as? Int == 2)
        #expect(listed.first?["title"] as? String == "Sorbent from rice husk")
    }

    @Test func rightAndEventsRoundTripWithOpenDeadlines() async throws {
        let url = try await recordsDatabase.value
        _ = try await ok(["rights", "update", "1", "--office", "1", "--title", "Rice-husk sorbent"], url)
        let right = try jsonObject(try await ok(["rights", "show", "1", "--office", "1", "--format", "json"], url))
        #expect(right["title"] as? String == "Rice-husk sorbent")
        #expect((right["events"] as? [[String: Any]])?.first?["kind"] as? String == "filed")
        #expect(right["openDeadlines"] is Int)
        let events = try await ok(["events", "list", "--office", "1", "--right", "1"], url)
        #expect(events.contains("2025-03-14  filed"))
        let event = try jsonObject(try await ok(["events", "show", "1", "--office", "1", "--format", "json"], url))
        #expect(event["reference"] as? String == "2025/0123.1")
        let update = try await Binary.run(["events", "update", "1", "--office", "1"], database: url)
        #expect(update.status == 2)
        #expect(update.stderr.contains("append-only"))
        #expect(update.stderr.contains("correcting event"))
    }

    @Test("events out of order are refused naming the right, the event and the conflicting date; a CSV reports every row")
    func eventChronologyIsChecked() async throws {
        let url = try await recordsDatabase.value
        _ = try await ok(
            [
                "rights", "create", "--office", "1", "--ref", "CHR-1", "--jurisdiction", "KZ", "--kind", "patent",
                "--title", "Chronology",
            ], url)
        let id = String(try await Databases.count(url, "SELECT id::int FROM rights WHERE reference = 'CHR-1'"))
        func record(_ event: String) async throws -> Binary.Output {
            try await Binary.run(
                ["events", "record", "--office", "1", "--right", id, "--event", event, "--number", "2025/0456.1"],
                database: url)
        }
        _ = try await ok(["events", "record", "--office", "1", "--right", id, "--event", "priority=2025-01-10"], url)
        var refused = try await record("filed=2024-12-01")
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("right CHR-1: event filed on 2024-12-01 is before the priority date 2025-01-10"),
            "\(refused.stderr)")
        _ = try await ok(
            ["events", "record", "--office", "1", "--right", id, "--event", "filed=2025-02-03", "--number", "2025/0456.1"],
            url)
        refused = try await record("published=2025-01-15")
        #expect(refused.stderr.contains("event published on 2025-01-15 is before the filing date 2025-02-03"))
        _ = try await ok(["events", "record", "--office", "1", "--right", id, "--event", "allowed=2026-04-01"], url)
        refused = try await record("granted=2026-09-01")
        #expect(refused.stderr.contains("a Kazakh patent is granted only after its grant decision"), "\(refused.stderr)")
        let far = CivilDate.todayUTC.adding(days: 400)
        refused = try await record("office-action=\(far)")
        #expect(refused.stderr.contains("is more than a year after today"), "\(refused.stderr)")
        #expect(refused.status == 2)
        // Nothing of the refused events was written.
        let events = try await ok(["events", "list", "--office", "1", "--right", id], url)
        #expect(!events.contains("2024-12-01") && !events.contains("2025-01-15") && !events.contains("\(far)"))

        let rows: [[String: String]] = [
            ["right_ref": "CHR-1", "event": "published", "date": "2025-01-20"],
            ["right_ref": "CHR-1", "event": "grant-decision", "date": "2026-05-04"],
            ["right_ref": "CHR-1", "event": "granted", "date": "2026-05-01"],
        ]
        let csv = try temporaryFile(
            "events.csv",
            CSVText.record(RecordFile.events.columns)
                + rows.map { row in CSVText.record(RecordFile.events.columns.map { row[$0] ?? "" }) }.joined())
        let imported = try await Binary.run(["import", "events", csv, "--office", "1", "--quiet"], database: url)
        #expect(imported.status == 2)
        #expect(
            imported.stderr.contains(
                "events.csv row 2, column date: right CHR-1: event published on 2025-01-20 is before the filing date 2025-02-03"),
            "\(imported.stderr)")
        #expect(imported.stderr.contains("events.csv row 4, column date: right CHR-1: event granted on 2026-05-01"))
        #expect(imported.stderr.contains("2 problem(s); nothing was written"))
    }

    @Test("a record that is not there exits 1 for every command, and no message shows the database's internals")
    func notFoundAndDatabaseErrorsReadTheSameEverywhere() async throws {
        let url = try await recordsDatabase.value
        for arguments in [
            ["deals", "show", "999", "--office", "1"], ["rights", "show", "999", "--office", "1"],
            ["payments", "show", "999", "--office", "1"], ["agreements", "show", "999", "--office", "1"],
            ["deadlines", "done", "999999", "--reason", "paid"], ["deadlines", "verify", "999999"],
        ] {
            let output = try await Binary.run(arguments, database: url)
            #expect(output.status == 1, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains("not found"), "\(arguments): \(output.stderr)")
            #expect(!output.stderr.contains("PostgresError") && !output.stderr.contains("StoreError"))
        }
        let unreachable = try await Binary.run(
            ["rights", "list", "--office", "1"], database: "postgresql://nobody@127.0.0.1:1/nothing")
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.hasPrefix("ipcase: cannot connect to the database: "), "\(unreachable.stderr)")
        #expect(!unreachable.stderr.contains("PostgresError"))
    }

    @Test("a jurisdiction without rules is refused unless --deadlines manual, and is then shown as having no computed deadlines")
    func jurisdictionsWithoutRulesNeedManualDeadlines() async throws {
        let url = try await recordsDatabase.value
        let create = ["rights", "create", "--office", "1", "--ref", "GB-1", "--jurisdiction", "GB", "--kind", "patent", "--title", "Sorbent"]
        let refused = try await Binary.run(create, database: url)
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("--jurisdiction GB has no deadline rules for a patent (rules exist for EA, EP, KZ, US)"),
            "\(refused.stderr)")
        #expect(refused.stderr.contains("add --deadlines manual"))
        _ = try await ok(create + ["--deadlines", "manual"], url)
        let id = String(try await Databases.count(url, "SELECT id::int FROM rights WHERE reference = 'GB-1'"))
        let shown = try await ok(["rights", "show", id, "--office", "1"], url)
        #expect(shown.contains("manual — no computed deadlines (no rules for GB patent)"), "\(shown)")
        let docket = try await ok(["deadlines", "list", "--office", "1"], url)
        #expect(docket.contains("No computed deadlines"), "\(docket)")
        #expect(docket.contains("GB-1  GB patent  office 1"))

        var columns = RecordFile.rights.columns
        func csv(_ extra: [String: String]) -> String {
            let row: [String: String] = ["ref": "GB-2", "jurisdiction": "GB", "kind": "patent", "title": "Another"]
            return CSVText.record(columns) + CSVText.record(columns.map { row.merging(extra) { $1 }[$0] ?? "" })
        }
        var imported = try await Binary.run(
            ["import", "rights", try temporaryFile("rights.csv", csv([:])), "--office", "1", "--quiet"], database: url)
        #expect(imported.status == 2)
        #expect(imported.stderr.contains("rights.csv row 2, column jurisdiction: GB has no deadline rules for a patent"), "\(imported.stderr)")
        columns.append("deadlines")
        imported = try await Binary.run(
            ["import", "rights", try temporaryFile("rights.csv", csv(["deadlines": "manual"])), "--office", "1", "--quiet"],
            database: url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM rights WHERE reference = 'GB-2' AND deadlines = 'manual'") == 1)
    }

    @Test("software and know-how import from rights.csv and events.csv: registered, an author's death recorded, in force")
    func copyrightAndKnowHowImport() async throws {
        let url = try await recordsDatabase.value
        let rights: [[String: String]] = [
            [
                "ref": "IMP-SW-1", "jurisdiction": "KZ", "kind": "software", "title": "Core logging toolkit",
                "application_number": "2025/00412-AP", "filing_date": "2025-02-03",
            ],
            ["ref": "IMP-KH-1", "jurisdiction": "KZ", "kind": "know-how", "title": "Catalyst activation recipe"],
        ]
        let columns = RecordFile.rights.columns
        let rightsFile = try temporaryFile(
            "rights.csv",
            CSVText.record(columns) + rights.map { row in CSVText.record(columns.map { row[$0] ?? "" }) }.joined())
        var imported = try await Binary.run(["import", "rights", rightsFile, "--office", "1", "--quiet"], database: url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let events: [[String: String]] = [
            ["right_ref": "IMP-SW-1", "event": "filed", "date": "2025-02-03", "reference": "2025/00412-AP"],
            ["right_ref": "IMP-SW-1", "event": "granted", "date": "2025-02-24", "reference": "41602"],
            ["right_ref": "IMP-SW-1", "event": "author-died", "date": "2025-08-01"],
            ["right_ref": "IMP-KH-1", "event": "entered-into-force", "date": "2025-03-01"],
        ]
        let eventColumns = RecordFile.events.columns
        let eventsFile = try temporaryFile(
            "events.csv",
            CSVText.record(eventColumns)
                + events.map { row in CSVText.record(eventColumns.map { row[$0] ?? "" }) }.joined())
        imported = try await Binary.run(["import", "events", eventsFile, "--office", "1", "--quiet"], database: url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            try await Databases.count(
                url,
                "SELECT count(*)::int FROM rights WHERE reference = 'IMP-SW-1' AND state = 'registered' AND registration_number = '41602'"
            ) == 1)
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM rights WHERE reference = 'IMP-KH-1' AND state = 'in-force'") == 1)
        #expect(
            try await Databases.count(
                url,
                "SELECT count(*)::int FROM right_events e JOIN rights r ON r.office_id = e.office_id AND r.id = e.right_id WHERE r.reference = 'IMP-SW-1' AND e.kind = 'author-died'"
            ) == 1)
    }

    @Test("a deal's execute-agreement signs the agreement with the terms given, or says what is missing and writes nothing")
    func executeAgreementSignsWithTheTermsOrRefuses() async throws {
        let url = try await makeRecordsDatabase()
        _ = try await ok(
            ["agreements", "create", "--office", "1", "--ref", "NDA-30", "--kind", "nda", "--counterparty", "3"], url)
        let nda = String(try await Databases.count(url, "SELECT id::int FROM agreements WHERE reference = 'NDA-30'"))
        _ = try await ok(["advance", "agreement", nda, "execute", "--office", "1", "--date", "2025-02-01"], url)
        _ = try await ok(
            [
                "deals", "create", "--office", "1", "--ref", "D-30", "--title", "Sorbent licence", "--right", "1",
                "--counterparty", "3",
            ], url)
        let deal = String(try await Databases.count(url, "SELECT id::int FROM deals WHERE reference = 'D-30'"))
        for event in [["make-contact"], ["start-evaluation", "--agreement", nda], ["start-negotiation"], ["agree-term-sheet"]] {
            _ = try await ok(["advance", "deal", deal] + event + ["--office", "1"], url)
        }
        let execute = ["advance", "deal", deal, "execute-agreement", "--kind", "exclusive-licence", "--office", "1"]
        let refused = try await Binary.run(execute, database: url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("'execute-agreement' cannot sign the agreement"), "\(refused.stderr)")
        #expect(refused.stderr.contains("financial terms"))
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM agreements WHERE reference = 'D-30/exclusive-licence'") == 0)
        _ = try await ok(execute + ["--currency", "KZT", "--upfront", "1000000", "--date", "2025-06-30"], url)
        let licence = String(
            try await Databases.count(url, "SELECT id::int FROM agreements WHERE reference = 'D-30/exclusive-licence'"))
        let shown = try await ok(["agreements", "show", licence, "--office", "1"], url)
        #expect(shown.contains("executed"), "\(shown)")
        #expect(shown.contains("1 000 000.00 KZT"))
        #expect(shown.contains("2025-06-30"))
    }

    @Test func dealRoundTripShowsItsHistory() async throws {
        let url = try await recordsDatabase.value
        _ = try await ok(
            [
                "deals", "create", "--office", "1", "--ref", "D-12", "--title", "Sorbent licence", "--right", "1",
                "--counterparty", "3", "--intended-agreement", "exclusive-licence", "--expected-value", "25000000",
                "--currency", "KZT",
            ], url)
        _ = try await ok(["deals", "update", "1", "--office", "1", "--title", "Sorbent licence to KazSorb"], url)
        _ = try await ok(["advance", "deal", "1", "make-contact", "--office", "1", "--date", "2025-05-02"], url)
        let shown = try await ok(["deals", "show", "1", "--office", "1"], url)
        // The day it happened is kept, next to when it was recorded.
        #expect(shown.contains("2025-05-02  make-contact"), "\(shown)")
        #expect(shown.contains("Sorbent licence to KazSorb"))
        #expect(shown.contains("25 000 000.00 KZT"))
        #expect(shown.contains("make-contact  identified  contacted"))
        let listed = try await ok(["deals", "list", "--office", "1"], url)
        #expect(listed.contains("D-12  contacted"))
        #expect(try await ok(["list", "deals", "--office", "1"], url) == listed, "the older spelling still works")
    }

    @Test func agreementWithTermsObligationsAndPaymentsRoundTrip() async throws {
        let url = try await recordsDatabase.value
        let created = try await ok(
            [
                "agreements", "create", "--office", "1", "--ref", "LIC-1", "--kind", "exclusive-licence",
                "--counterparty", "3", "--right", "1", "--territory", "KZ", "--currency", "KZT", "--upfront",
                "5000000", "--royalty-rate", "3.5", "--royalty-base", "net-sales", "--royalty-reports", "quarterly:30",
                "--milestone", "First sale:2027-06-30", "--option-exercise", "2027-01-31",
                "--milestone-payment", "Phase II:2000000:2028-03-31",
            ], url)
        #expect(created.hasPrefix("agreement 1: LIC-1"))
        _ = try await ok(
            [
                "payments", "create", "--office", "1", "--agreement", "1", "--amount", "5000000", "--currency", "KZT",
                "--kind", "upfront", "--received", "2025-07-01",
            ], url)
        _ = try await ok(
            [
                "payments", "create", "--office", "1", "--agreement", "1", "--amount", "1250.50", "--currency", "KZT",
                "--kind", "royalty", "--received", "2025-10-30",
            ], url)
        _ = try await ok(["payments", "update", "2", "--office", "1", "--amount", "1250.75"], url)
        // A payment in another currency than the agreement's terms is refused, naming the field.
        let foreign = try await Binary.run(
            [
                "payments", "create", "--office", "1", "--agreement", "1", "--amount", "100", "--currency", "USD",
                "--kind", "royalty", "--received", "2025-11-30",
            ], database: url)
        #expect(foreign.status != 0)
        #expect(foreign.stderr.contains("field currency: USD is not the currency of agreement LIC-1's terms (KZT)"), "\(foreign.stderr)")
        let moved = try await Binary.run(
            ["payments", "update", "2", "--office", "1", "--currency", "EUR"], database: url)
        #expect(moved.status != 0, "\(moved.stdout)")
        let csv = try temporaryFile(
            "payments.csv",
            CSVText.record(RecordFile.payments.columns)
                + CSVText.record(
                    RecordFile.payments.columns.map { ["agreement_ref": "LIC-1", "received_on": "2025-12-01", "amount": "10", "currency": "USD", "kind": "royalty"][$0] ?? "" }))
        let imported = try await Binary.run(["import", "payments", csv, "--office", "1", "--quiet"], database: url)
        #expect(imported.status == 2)
        #expect(imported.stderr.contains("payments.csv row 2, column currency: 'USD' is not the currency of agreement 'LIC-1' (KZT)"), "\(imported.stderr)")
        let payment = try jsonObject(try await ok(["payments", "show", "2", "--office", "1", "--format", "json"], url))
        #expect((payment["amount"] as? [String: Any])?["minorUnits"] as? Int == 125_075)
        #expect(try await ok(["payments", "list", "--office", "1", "--agreement", "1"], url).contains("1 250.75 KZT"))

        _ = try await ok(
            ["agreements", "update", "1", "--office", "1", "--royalty-rate", "4", "--royalty-base", "net-sales"], url)
        let shown = try await ok(["agreements", "show", "1", "--office", "1"], url)
        #expect(shown.contains("4.00 % of net-sales"))
        #expect(shown.contains("5 000 000.00 KZT"), "the upfront fee is kept when the royalty changes")
        #expect(shown.contains("royalty reports quarterly, due in 30 days"))
        #expect(shown.contains("First sale by 2027-06-30"))
        #expect(shown.contains("option exercise by 2027-01-31"))
        #expect(shown.contains("Phase II 2 000 000.00 KZT by 2028-03-31"))
        #expect(field("received total", in: shown) == "5 001 250.75 KZT")
        let json = try jsonObject(try await ok(["agreements", "show", "1", "--office", "1", "--format", "json"], url))
        #expect((json["payments"] as? [Any])?.count == 2)
        #expect(((json["receivedTotal"] as? [[String: Any]])?.first?["minorUnits"] as? Int) == 500_125_075)
    }

    @Test func aStaleVersionIsRefusedNamingBothVersionsAndNothingIsWritten() async throws {
        let url = try await recordsDatabase.value
        _ = try await ok(["deals", "create", "--office", "1", "--ref", "D-20", "--title", "Option to KazSorb"], url)
        let id = try await Databases.count(url, "SELECT id::int FROM deals WHERE reference = 'D-20'")
        _ = try await ok(
            ["deals", "update", String(id), "--office", "1", "--title", "First", "--expect-version", "1"], url)
        let stale = try await Binary.run(
            ["deals", "update", String(id), "--office", "1", "--title", "Second", "--expect-version", "1"],
            database: url)
        #expect(stale.status == 2)
        #expect(
            stale.stderr.contains("deal D-20 was changed by someone else (version 1, now 2); show it again and retry"))
        #expect(try await ok(["deals", "show", String(id), "--office", "1"], url).contains("First"))
    }

    @Test(arguments: [
        (
            [
                "payments", "create", "--office", "1", "--agreement", "1", "--amount", "12,5", "--currency", "KZT",
                "--kind", "royalty",
            ],
            "payments create: --amount '12,5' is not an amount in KZT (use 1234.50)"
        ),
        (
            [
                "payments", "create", "--office", "1", "--agreement", "1", "--amount", "12.50", "--currency", "KZT",
                "--kind", "gift",
            ],
            "payments create: --kind 'gift' is not one of upfront, royalty"
        ),
        (
            [
                "disclosures", "create", "--office", "1", "--ref", "DS-9", "--title", "X", "--inventor", "1=60",
                "--inventor", "2=30",
            ],
            "disclosures create: --inventor needs inventor shares summing to 100 % (they sum to 90.00 %)"
        ),
        (
            [
                "agreements", "create", "--office", "1", "--ref", "L-9", "--kind", "option", "--royalty-reports",
                "weekly:30",
            ],
            "agreements create: --royalty-reports 'weekly:30' is not INTERVAL:DAYS"
        ),
        (
            ["agreements", "create", "--office", "1", "--ref", "L-9", "--kind", "option", "--milestone", "First sale"],
            "agreements create: --milestone 'First sale' is not NAME:YYYY-MM-DD"
        ),
        (
            ["agreements", "create", "--office", "1", "--ref", "L-9", "--kind", "option", "--upfront", "100"],
            "agreements create: --upfront needs --currency (e.g. KZT)"
        ),
        (
            [
                "deals", "create", "--office", "1", "--ref", "D-9", "--title", "X", "--expected-value", "1.234",
                "--currency", "KZT",
            ],
            "deals create: --expected-value '1.234' is not an amount in KZT"
        ),
        (
            ["offices", "create", "--name", "X", "--region", "astana", "--kind", "university", "--time-zone", "Asia/Almata"],
            "offices create: --time-zone 'Asia/Almata' is not a time zone such as Asia/Almaty"
        ),
        (
            ["offices", "create", "--name", "X", "--region", "astana", "--kind", "university", "--calendar", "FR"],
            "offices create: --calendar 'FR' is not a calendar with data; one of EP, KZ, RU, US"
        ),
        (
            ["rights", "create", "--office", "1", "--ref", "LONG", "--jurisdiction", "KZ", "--kind", "patent",
             "--title", String(repeating: "Long title ", count: 200)],
            "rights create: --title is 2200 characters long; at most 2000 are allowed"
        ),
        (
            ["parties", "update", "1", "--office", "1", "--name", String(repeating: "n", count: 501)],
            "parties update: --name is 501 characters long; at most 500 are allowed"
        ),
        (["deals", "update", "1", "--office", "1"], "deals update: give at least one field to change"),
        (
            ["deals", "create", "--office", "1", "--ref", "D-9", "--title", "X", "--counterparty", "99"],
            "deals create: deal D-9: counterparty refers to a record that does not exist in this office"
        ),
        (
            [
                "rights", "create", "--office", "1", "--ref", "X", "--jurisdiction", "KZ", "--kind", "petent",
                "--title", "X",
            ],
            "rights create: --kind 'petent' is not one of patent"
        ),
    ])
    func badInputNamesTheCommandAndTheOptionAndExitsWith2(arguments: [String], message: String) async throws {
        let url = try await recordsDatabase.value
        let result = try await Binary.run(arguments, database: url)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test func aRecordNotFoundIsAFailureNamingTheOffice() async throws {
        let url = try await recordsDatabase.value
        let missing = try await Binary.run(["deals", "show", "99", "--office", "1"], database: url)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("deal 99 not found in office 1"))
        let update = try await Binary.run(
            ["payments", "update", "99", "--office", "1", "--kind", "other"], database: url)
        #expect(update.status == 1)
        #expect(update.stderr.contains("payment 99 not found in office 1"))
        let office = try await Binary.run(["offices", "show", "9"], database: url)
        #expect(office.status == 1)
        #expect(office.stderr.contains("office 9 not found"))
    }

    @Test func advanceWithADisallowedAgreementEventPrintsTheAllowedOnes() async throws {
        let url = try await recordsDatabase.value
        _ = try await ok(
            ["agreements", "create", "--office", "1", "--ref", "NDA-1", "--kind", "nda", "--counterparty", "3"], url)
        let id = try await Databases.count(url, "SELECT id::int FROM agreements WHERE reference = 'NDA-1'")
        let refused = try await Binary.run(
            ["advance", "agreement", String(id), "activate", "--office", "1"], database: url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is 'draft'"))
        #expect(refused.stderr.contains("allowed: execute"))
        #expect(field("state", in: try await ok(["agreements", "show", String(id), "--office", "1"], url)) == "draft")
    }

    @Test(arguments: [
        "offices", "parties", "disclosures", "rights", "events", "deals", "agreements", "payments",
    ])
    func everyRecordCommandTeachesWithAnExample(kind: String) async throws {
        let subcommands = kind == "events" ? ["record", "list", "show"] : ["create", "list", "show", "update"]
        for subcommand in subcommands {
            let help = try await Binary.run([kind, subcommand, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("ipcase \(kind) \(subcommand)"), "\(kind) \(subcommand) --help")
        }
    }
}
