import Foundation
import Testing

@testable import IPCase

@Suite("Deadline rules as data")
struct RulesTests {
    let book = RuleBook.standard

    struct Coverage: CustomTestStringConvertible, Sendable {
        let jurisdiction: String
        let kind: RightKind
        let types: [DeadlineType]
        var testDescription: String {
            "\(jurisdiction) \(kind.rawValue): \(types.map(\.rawValue).joined(separator: ", "))"
        }
    }

    @Test(
        "The rules cover what issue 3 lists",
        arguments: [
            Coverage(
                jurisdiction: "KZ", kind: .patent,
                types: [
                    .priority, .nationalPhase, .examinationFee, .grantFee, .renewal, .termEnd, .officeActionResponse,
                ]),
            Coverage(
                jurisdiction: "KZ", kind: .utilityModel,
                types: [.priority, .nationalPhase, .grantFee, .renewal, .termEnd]),
            Coverage(jurisdiction: "KZ", kind: .design, types: [.priority, .grantFee, .renewal, .termEnd]),
            Coverage(jurisdiction: "KZ", kind: .trademark, types: [.priority, .termEnd, .trademarkRenewal]),
            Coverage(jurisdiction: "EA", kind: .patent, types: [.priority, .nationalPhase, .renewal, .termEnd]),
            Coverage(
                jurisdiction: "WO", kind: .pctApplication,
                types: [.nationalPhase, .demand, .publication, .searchReport]),
            Coverage(
                jurisdiction: "EP", kind: .patent,
                types: [
                    .priority, .nationalPhase, .renewal, .officeActionResponse, .publication, .examinationRequest,
                    .termEnd,
                ]),
            Coverage(
                jurisdiction: "US", kind: .patent,
                types: [.priority, .maintenanceFee, .officeActionResponse, .publication, .termEnd]),
            Coverage(jurisdiction: "US", kind: .provisional, types: [.priority, .provisionalConversion]),
            Coverage(jurisdiction: "US", kind: .trademark, types: [.priority, .trademarkRenewal, .declarationOfUse]),
        ])
    func rulesCoverTheIssue(_ coverage: Coverage) throws {
        let jurisdiction = try #require(Jurisdiction(coverage.jurisdiction))
        let types = Set(book.rules(jurisdiction: jurisdiction, kind: coverage.kind).map(\.type))
        for type in coverage.types {
            #expect(types.contains(type), "\(coverage.jurisdiction) \(coverage.kind) lacks \(type)")
        }
    }

    @Test("Paris priority is 12 months for patents and utility models, 6 for designs and trademarks")
    func parisPeriods() throws {
        for (kind, months) in [(RightKind.patent, 12), (.utilityModel, 12), (.design, 6), (.trademark, 6)] {
            let rule = try #require(book.rules(jurisdiction: .kazakhstan, kind: kind).first { $0.type == .priority })
            #expect(rule.spec.period?.totalMonths == months)
            #expect(rule.citation.contains("Art. 4C"))
        }
    }

    @Test("PCT national phase table: 30 months by default, 31 at EP, EA and KZ, late entry at CN and CA")
    func nationalPhaseTable() throws {
        let rules = book.rules(jurisdiction: .pct, kind: .pctApplication).filter { $0.type == .nationalPhase }
        let months = Dictionary(
            uniqueKeysWithValues: rules.map { ($0.spec.office ?? "?", $0.spec.period?.totalMonths ?? 0) })
        #expect(months["EP"] == 31 && months["EA"] == 31 && months["KZ"] == 31)
        #expect(months["US"] == 30 && months["CN"] == 30 && months["CA"] == 30 && months["BA"] == 34)
        #expect(rules.first { $0.spec.office == "CN" }?.spec.final?.period.totalMonths == 32)
        #expect(rules.first { $0.spec.office == "CA" }?.spec.final?.period.totalMonths == 42)
        #expect(rules.first { $0.spec.office == "EA" }?.calendar?.id == "RU")
        // Issue 11 §3: the offices a KZ office files in most.
        for office in ["KZ", "EA", "RU", "CN", "US", "EP", "JP", "KR", "IN", "CA", "BA", "UZ", "KG", "GB", "AU", "BR"] {
            #expect(months[office] != nil, "no national-phase time limit for \(office)")
        }
        #expect(months["UZ"] == 31 && months["KG"] == 31 && months["GB"] == 31 && months["AU"] == 31)
        #expect(months["BR"] == 30)
    }

    @Test("A final date less certain than its due date makes the deadline unconfirmed and says why")
    func unconfirmedFinalDate() throws {
        let rule = try #require(book.allRules.first { $0.id == "KZ.trademark-renewal" })
        #expect(rule.status == .confirmed)
        #expect(rule.spec.final?.status == .unconfirmed)
        let deadlines = DeadlineEngine().deadlines(
            jurisdiction: .kazakhstan, kind: .trademark,
            events: [RightEvent(.filed, on: try CivilDate(iso: "2015-07-01"))])
        let renewal = try #require(deadlines.first { $0.ruleID == "KZ.trademark-renewal" })
        #expect(renewal.status == .unconfirmed)
        #expect(renewal.explanation.contains("the final date is not confirmed (KZ Trademark Law Art. 15(3))"))
    }

    @Test("Every rule names its citation; unconfirmed rules say why")
    func everyRuleIsCited() {
        #expect(!book.allRules.isEmpty)
        for rule in book.allRules {
            #expect(!rule.citation.isEmpty, "\(rule)")
            if rule.status == .unconfirmed {
                #expect(rule.spec.note?.isEmpty == false, "\(rule) is unconfirmed without a note")
            }
        }
    }

    @Test(
        "What the reference marks unconfirmed stays unconfirmed",
        arguments: [
            "KZ.term.utility-model", "KZ.term.design", "KZ.office-action", "KZ.annual-fee", "EA.annual-fee",
            "EA.pct-entry",
        ])
    func referenceUnconfirmedRules(_ id: String) throws {
        let rule = try #require(book.allRules.first { $0.id == id })
        #expect(rule.status == .unconfirmed)
    }

    @Test("US maintenance fees are unconfirmed only where the grant day must be clamped")
    func usMaintenanceClampIsUnconfirmed() throws {
        let rule = try #require(book.allRules.first { $0.id == "US.maintenance-fee" })
        #expect(rule.status == .confirmed)
        #expect(rule.spec.clampedStatus == .unconfirmed)
    }

    @Test("A broken rule file is refused with the file and the rule named")
    func brokenRuleFileIsRefused() {
        let calendar = EmbeddedFiles.all.first { $0.path == "calendars/KZ.json" }!
        let broken = """
            {"jurisdiction": "KZ", "title": "t", "calendar": "KZ", "rules": [
              {"id": "KZ.broken", "type": "grant_fee", "kinds": ["patent"], "trigger": "grant-decision",
               "citation": "c", "status": "confirmed"}]}
            """
        #expect {
            try RuleBook(files: [calendar, ("rules/KZ.json", broken)])
        } throws: { error in
            let message = (error as? RuleBook.LoadError)?.description ?? ""
            return message.contains("rules/KZ.json") && message.contains("KZ.broken") && message.contains("period")
        }
        let badEvent = broken.replacingOccurrences(of: "grant-decision", with: "grant-decided")
        #expect {
            try RuleBook(files: [calendar, ("rules/KZ.json", badEvent)])
        } throws: { error in
            ((error as? RuleBook.LoadError)?.description ?? "").contains("rules/KZ.json")
        }
    }

    @Test("Rule files name only known calendars or say they roll by weekends")
    func calendarsResolve() {
        for rule in book.allRules {
            guard let calendar = rule.calendar else { continue }
            if book.calendar(id: calendar.id) == nil {
                #expect(rule.calendarNote != nil, "\(rule) rolls by \(calendar.id) without saying it is weekends only")
            }
        }
    }
}

@Suite("Rule and calendar data stand on their own")
struct DataCitationTests {
    @Test("no citation, note or source in the rule and calendar files points to a file outside the repository")
    func citationsNameSourcesNotLocalFiles() throws {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/IPCase/Data")
        let files = try FileManager.default.subpathsOfDirectory(atPath: data.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 10, "rules and calendars found: \(files)")
        for file in files {
            let text = try String(contentsOf: data.appendingPathComponent(file), encoding: .utf8)
            for pointer in ["reference/", "time-limits.md", "../", "/work/", ".md\""] {
                #expect(!text.contains(pointer), "\(file) mentions \(pointer)")
            }
        }
    }
}

@Suite("Rule data fingerprint")
struct RuleDataFingerprintTests {
    @Test("the embedded files' fingerprint is the standard book's, and changes with any rule or calendar byte")
    func fingerprintFollowsTheData() throws {
        #expect(RuleBook.embeddedFingerprint == RuleBook.standard.fingerprint)
        #expect(RuleBook.embeddedFingerprint.hasPrefix("r\(RuleBook.engineRevision)-"))
        var files = EmbeddedFiles.all
        let index = try #require(files.firstIndex { $0.path == "rules/KZ.json" })
        files[index].contents = files[index].contents.replacingOccurrences(of: "\"3y\"", with: "\"4y\"")
        #expect(RuleBook.fingerprint(of: files) != RuleBook.embeddedFingerprint)
        // Files that are neither rules nor calendars do not count.
        var other = EmbeddedFiles.all
        if let green = other.firstIndex(where: { $0.path.hasPrefix("green/") }) {
            other[green].contents += " "
            #expect(RuleBook.fingerprint(of: other) == RuleBook.embeddedFingerprint)
        }
    }
}
