import Foundation
import IPCase
import IPCaseCLI
import IPCaseDaemon
import IPCaseStore
import Testing

@Suite("Funded projects (ipcase projects)")
struct ProjectsTests {
    /// A QazInnovations-style grant: stage 1 20 000 000 KZT over six months, stage 2 80 000 000
    /// KZT over eighteen, at least 10 % co-financing (2 000 000 and 8 000 000 KZT).
    @Test func aGrantRunsItsWorkflowAndItsCofinancingIsCheckedAgainstTheProgramme() async throws {
        let (url, office) = try await Databases.empty(officeName: "Grants TTO")
        let login = try await Databases.appLogin(url, office: office, prefix: "t_projects")
        let cli = OfficeCLI(url: login, office: office)
        _ = try await cli.ok(
            ["parties", "create", "--name", "QazInnovations", "--kind", "organization", "--sector", "government",
             "--role", "funder"])
        let create = [
            "projects", "create", "--reference", "GR-2025-004", "--title", "Sorbent pilot line", "--funder", "1",
            "--programme", "QazInnovations commercialization grant", "--min-cofinancing", "10",
        ]
        let overlap = try await cli.run(
            create + ["--stage", "20000000 KZT,2025-03-01,2025-08-31", "--stage", "80000000 KZT,2025-08-01,2027-02-28"])
        #expect(overlap.status == 2 && overlap.stderr.contains("field stage"), "\(overlap.stderr)")
        let shape = try await cli.run(create + ["--stage", "20000000 KZT;2025-03-01"])
        #expect(shape.status == 2 && shape.stderr.contains("--stage"), "\(shape.stderr)")
        let registration = try await cli.run(
            create + ["--stage", "20000000 KZT,2025-03-01,2025-08-31", "--registration", "0125RK00123"])
        #expect(registration.status == 2 && registration.stderr.contains("field registration"), "\(registration.stderr)")
        let created = try await cli.ok(
            create + ["--stage", "20000000 KZT,2025-03-01,2025-08-31", "--stage", "80000000 KZT,2025-09-01,2027-02-28"])
        #expect(created.contains("grant 100 000 000.00 KZT"), "\(created)")

        let early = try await cli.run(["projects", "advance", "1", "--event", "start", "--date", "2025-03-01"])
        #expect(early.status == 2 && early.stderr.contains("applied"), "\(early.stderr)")
        _ = try await cli.ok(["projects", "advance", "1", "--event", "award", "--date", "2025-02-15"])
        let stale = try await cli.run(
            ["projects", "advance", "1", "--event", "start", "--date", "2025-03-01", "--expect-version", "1"])
        #expect(stale.status == 2, "\(stale.stderr)")
        let started = try await cli.ok(["projects", "advance", "1", "--event", "start", "--date", "2025-03-01"])
        #expect(started.contains("→ active"), "\(started)")
        let noReason = try await cli.run(["projects", "advance", "1", "--event", "terminate", "--date", "2025-05-01"])
        #expect(noReason.status == 2 && noReason.stderr.contains("a reason"), "\(noReason.stderr)")

        _ = try await cli.ok(["projects", "cofinancing", "1", "--stage", "1", "--amount", "2500000 KZT"])
        let wrong = try await cli.run(["projects", "cofinancing", "1", "--stage", "3", "--amount", "1 KZT"])
        #expect(wrong.status == 2 && wrong.stderr.contains("field stage"), "\(wrong.stderr)")
        let usd = try await cli.run(["projects", "cofinancing", "1", "--stage", "2", "--amount", "1 USD"])
        #expect(usd.status == 2 && usd.stderr.contains("field amount"), "\(usd.stderr)")
        let shown = try await cli.ok(["projects", "show", "1"])
        // Required: 2 000 000 + 8 000 000; put in: 2 500 000; short by 7 500 000.
        #expect(shown.contains("required 10.00 %: 10 000 000.00 KZT"), "\(shown)")
        #expect(shown.contains("shortfall") && shown.contains("7 500 000.00 KZT"), "\(shown)")
        #expect(shown.contains("QazInnovations") && shown.contains("active (version 3)"), "\(shown)")
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM workflow_history WHERE entity_type = 'funded-project'") == 2)
        // The indicators of 2025: both stages start in it (20 000 000 + 80 000 000 KZT), 10 % required.
        let report = try await cli.ok(["report", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json"])
        let grants = try #require((try jsonObject(report)["kazakhstan"] as? [String: Any])?["grant_funding"] as? [String: Any])
        let rows = try #require(grants["by_programme"] as? [[String: Any]])
        #expect(rows.count == 1 && rows.first?["funder"] as? String == "QazInnovations")
        #expect((rows.first?["grant"] as? [[String: Any]])?.first?["amount"] as? String == "100000000.00")
        #expect((rows.first?["required_cofinancing"] as? [[String: Any]])?.first?["amount"] as? String == "10000000.00")
        let list = try await cli.ok(["projects", "list"])
        #expect(list.contains("GR-2025-004") && list.contains("active"), "\(list)")
    }

    /// What a grant owes becomes deadlines in the docket: set on the command line, computed after
    /// the award, met by the registration, superseded when no longer owed.
    @Test func aProjectsReportsDeliverablesAndRegistrationAreDocketed() async throws {
        let (url, office) = try await Databases.empty(officeName: "Docketed grants TTO")
        let login = try await Databases.appLogin(url, office: office, prefix: "t_project_deadlines")
        let cli = OfficeCLI(url: login, office: office)
        _ = try await cli.ok(
            ["parties", "create", "--name", "QazInnovations", "--kind", "organization", "--sector", "government",
             "--role", "funder"])
        _ = try await cli.ok(
            ["parties", "create", "--name", "Dana Manager", "--kind", "person", "--sector", "academia", "--email",
             "dana@example.kz"])
        let create = [
            "projects", "create", "--reference", "GR-2025-004", "--title", "Sorbent pilot line", "--funder", "1",
            "--programme", "QazInnovations commercialization grant", "--min-cofinancing", "10",
            "--stage", "20000000 KZT,2025-03-01,2025-08-31", "--stage", "80000000 KZT,2025-09-01,2027-02-28",
            "--manager", "2", "--stage-reports", "30", "--final-report", "60", "--state-registration", "30",
        ]
        let noDate = try await cli.run(create + ["--deliverable", "Pilot line acceptance"])
        #expect(noDate.status == 2 && noDate.stderr.contains("--deliverable"), "\(noDate.stderr)")
        let negative = try await cli.run(create + ["--final-report=-5"])
        #expect(negative.status == 2 && negative.stderr.contains("obligation"), "\(negative.stderr)")
        let nobody = try await cli.run(create.map { $0 == "2" ? "99" : $0 } + ["--deliverable", "Pilot line acceptance,2025-12-15"])
        #expect(nobody.status != 0 && nobody.stderr.contains("99"), "\(nobody.stderr)")
        _ = try await cli.ok(create + ["--deliverable", "Pilot line acceptance,2025-12-15"])
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM funded_projects") == 1)

        // Applied: nothing docketed; awarded: five deadlines after processing.
        try await process(url)
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM deadlines") == 0)
        _ = try await cli.ok(["projects", "advance", "1", "--event", "award", "--date", "2025-02-15"])
        try await process(url)
        let docket = try await cli.ok(
            ["deadlines", "list", "--as-of", "2025-02-20", "--within", "900d", "--format", "json"])
        let entries = try #require(try jsonObject(docket)["deadlines"] as? [[String: Any]], "\(docket)")
        #expect(entries.map { $0["due"] as? String } == ["2025-03-31", "2025-09-30", "2025-12-15", "2027-03-30", "2027-04-29"])
        #expect(entries.allSatisfy { $0["right_reference"] as? String == "GR-2025-004" }, "\(docket)")
        #expect(entries.allSatisfy { $0["attorney_name"] as? String == "Dana Manager" }, "\(docket)")
        let filtered = try await cli.ok(
            ["deadlines", "list", "--as-of", "2025-02-20", "--within", "900d", "--type", "stage_report"])
        #expect(filtered.contains("stage report stage 1") && filtered.contains("stage report stage 2"), "\(filtered)")
        let shown = try await cli.ok(["projects", "show", "1"])
        #expect(shown.contains("Dana Manager <dana@example.kz>"), "\(shown)")
        #expect(shown.contains("stage reports within 30 days; final report within 60 days"), "\(shown)")
        #expect(shown.contains("2027-04-29") && shown.contains("final report"), "\(shown)")

        // Registered: its deadline is met; then only stage reports are owed: the final report
        // and the deliverable are superseded, the met registration stays done.
        _ = try await cli.ok(["projects", "register", "1", "--registration", "0125РК00123", "--date", "2025-03-20"])
        try await process(url)
        let done = try await cli.ok(["deadlines", "list", "--status", "done", "--format", "json"])
        let met = try #require(try jsonObject(done)["deadlines"] as? [[String: Any]])
        #expect(met.map { $0["type"] as? String } == ["state_registration"], "\(done)")
        let replaced = try await cli.ok(["projects", "obligations", "1", "--stage-reports", "30", "--manager", "2"])
        #expect(replaced.contains("owes stage reports within 30 days"), "\(replaced)")
        try await process(url)
        #expect(
            try await Databases.count(url, "SELECT count(*)::int FROM deadlines WHERE status = 'superseded'") == 2)
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM deadlines WHERE status = 'open'") == 2)
        // Created, awarded, registered, obligations replaced: each audited.
        let audit = try await Databases.count(
            url, "SELECT count(*)::int FROM audit_log WHERE table_name = 'funded_projects'")
        #expect(audit == 4)
    }

    /// projects.csv: one stage per row; every problem named by row and column, nothing written;
    /// then the clean file creates the projects and replays their steps to the state given.
    @Test func projectsImportStageByStageAndReplayTheirSteps() async throws {
        let (url, office) = try await Databases.empty(officeName: "Imported grants TTO")
        let login = try await Databases.appLogin(url, office: office, prefix: "t_project_import")
        let cli = OfficeCLI(url: login, office: office)
        _ = try await cli.ok(
            ["parties", "create", "--name", "QazInnovations", "--kind", "organization", "--sector", "government",
             "--role", "funder"])
        _ = try await cli.ok(["parties", "create", "--name", "Dana Manager", "--kind", "person", "--sector", "academia"])
        let header = RecordFile.projects.columns.joined(separator: ",") + "\n"
        func row(_ values: [String: String]) -> String {
            RecordFile.projects.columns.map { values[$0] ?? "" }.joined(separator: ",") + "\n"
        }
        let first: [String: String] = [
            "reference": "GR-2025-004", "stage": "1", "amount": "20000000", "currency": "KZT", "from": "2025-03-01",
            "to": "2025-08-31", "cofinancing": "2500000", "title": "Sorbent pilot line", "funder": "QazInnovations",
            "programme": "Commercialization grant", "min_cofinancing": "10", "manager": "Dana Manager",
            "state": "active", "decided_on": "2025-02-15", "started_on": "2025-03-01",
            "stage_reports_within_days": "30", "final_report_within_days": "60",
            "deliverables": "2025-12-15 Pilot line acceptance",
        ]
        let second: [String: String] = [
            "reference": "GR-2025-004", "stage": "2", "amount": "80000000", "currency": "KZT", "from": "2025-09-01",
            "to": "2027-02-28",
        ]
        var badFirst = first
        badFirst["funder"] = "Nobody"
        badFirst["deliverables"] = "Pilot line acceptance"
        var badSecond = second
        badSecond["title"] = "Another title"
        badSecond["stage"] = "3"
        let rejected: [String: String] = [
            "reference": "GR-2025-009", "stage": "1", "amount": "5000000", "currency": "KZT", "from": "2025-01-01",
            "to": "2025-06-30", "title": "Rejected idea", "funder": "QazInnovations", "programme": "Grant",
            "state": "terminated", "decided_on": "2024-12-01",
        ]
        let bad = try temporaryFile("projects.csv", header + row(badFirst) + row(badSecond) + row(rejected))
        let refused = try await cli.run(["import", "projects", bad])
        #expect(refused.status == 2)
        for expected in [
            "row 2, column funder: 'Nobody' is not a party", "row 2, column deliverables",
            "row 3, column stage: 3 is not the next stage", "row 3, column title: 'Another title' differs from row 2",
            "row 4, column ended_on: a date is required",
        ] {
            #expect(refused.stderr.contains(expected), "\(expected): \(refused.stderr)")
        }
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM funded_projects") == 0)

        let clean = try temporaryFile("projects.csv", header + row(first) + row(second))
        let imported = try await cli.run(["import", "projects", clean])
        #expect(imported.status == 0 && imported.stdout.hasPrefix("imported 1 projects"), "\(imported.stdout) \(imported.stderr)")
        let shown = try await cli.ok(["projects", "show", "1"])
        #expect(shown.contains("active (version 3)") && shown.contains("100 000 000.00 KZT"), "\(shown)")
        #expect(shown.contains("deliverable 'Pilot line acceptance' by 2025-12-15"), "\(shown)")
        #expect(
            try await Databases.count(
                url, "SELECT count(*)::int FROM workflow_history WHERE entity_type = 'funded-project'") == 2)
        try await process(url)
        #expect(try await Databases.count(url, "SELECT count(*)::int FROM deadlines WHERE project_id = 1") == 4)
    }

    func process(_ url: String) async throws {
        let store = try await Store.connect(url: url, logger: Databases.quiet)
        _ = try await DeadlineProcessing.processPendingJobs(
            store: store, asOf: try CivilDate(iso: "2025-02-20"), logger: Databases.quiet)
        await store.connection.close()
    }
}
