import Foundation
import Testing

@testable import IPCase

/// One worked example: a right, its events, and one deadline the rules must produce.
struct WorkedExample: CustomTestStringConvertible, Sendable {
    let source: String
    let jurisdiction: String
    let kind: RightKind
    let events: [String]
    let rule: String
    var year: FeeYear?
    let nominal: String
    let due: String
    var final: String?
    var window: String?
    var status: RuleStatus?

    var testDescription: String { "\(rule)\(year.map { " year \($0)" } ?? ""): \(source)" }
}

@Suite("Deadline engine")
struct EngineTests {
    let engine = DeadlineEngine()

    func schedule(_ jurisdiction: String, _ kind: RightKind, _ events: [String]) throws -> [Deadline] {
        let parsed = try events.map { try DeadlinesCompute.parseEvent($0) }
        return engine.deadlines(jurisdiction: try #require(Jurisdiction(jurisdiction)), kind: kind, events: parsed)
    }

    static let examples: [WorkedExample] = [
        // PCT
        .init(
            source: "PCT Art. 22(1); DESIGN.md example (Sunday → Monday)", jurisdiction: "WO", kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14"], rule: "WO.national-phase.US", nominal: "2025-09-14",
            due: "2025-09-15"),
        .init(
            source: "EPC Rule 159(1): 31 months", jurisdiction: "WO", kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14"], rule: "WO.national-phase.EP", nominal: "2025-10-14",
            due: "2025-10-14"),
        .init(
            source: "WIPO table: KZ 31 months", jurisdiction: "WO", kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14"], rule: "WO.national-phase.KZ", nominal: "2025-10-14",
            due: "2025-10-14"),
        .init(
            source: "WIPO table: CN 30 months, 32 with fee", jurisdiction: "WO", kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14"], rule: "WO.national-phase.CN", nominal: "2025-09-14",
            due: "2025-09-15", final: "2025-11-14"),
        .init(
            source: "WIPO table: CA 30 months, 42 with late fee", jurisdiction: "WO", kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14"], rule: "WO.national-phase.CA", nominal: "2025-09-14",
            due: "2025-09-15", final: "2026-09-14"),
        .init(
            source: "WIPO table: BA 34 months", jurisdiction: "WO", kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14"], rule: "WO.national-phase.BA", nominal: "2026-01-14",
            due: "2026-01-14"),
        .init(
            source: "PCT Rule 54bis.1: later of 22 months and 3 months from the search report", jurisdiction: "WO",
            kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14", "search-report-transmitted=2024-12-20"],
            rule: "WO.demand", nominal: "2025-03-20", due: "2025-03-20"),
        .init(
            source: "PCT Rule 54bis.1: 22 months when the search report comes early", jurisdiction: "WO",
            kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14", "search-report-transmitted=2024-07-01"],
            rule: "WO.demand", nominal: "2025-01-14", due: "2025-01-14"),
        .init(
            source: "PCT Art. 21(2)(a): 18 months, not rolled", jurisdiction: "WO", kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14"], rule: "WO.publication", nominal: "2024-09-14",
            due: "2024-09-14"),
        .init(
            source: "PCT Rule 42.1: later of 3 months from filing and 9 months from priority", jurisdiction: "WO",
            kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14"], rule: "WO.search-report", nominal: "2024-06-14",
            due: "2024-06-14", status: .unconfirmed),
        // Paris
        .init(
            source: "Paris Art. 4C; reference: 29 Feb + 12 months = 28 Feb", jurisdiction: "KZ", kind: .patent,
            events: ["filed=2024-02-29"], rule: "PARIS.priority.12", nominal: "2025-02-28", due: "2025-02-28",
            final: "2025-04-28"),
        .init(
            source: "Paris Art. 4C; reference: 28 Feb + 12 months = 28 Feb, no carry-through", jurisdiction: "KZ",
            kind: .patent,
            events: ["filed=2023-02-28"], rule: "PARIS.priority.12", nominal: "2024-02-28", due: "2024-02-28",
            final: "2024-04-29"),
        .init(
            source: "Paris Art. 4C(3): rolled past Nauryz 2021 and its carried-over day", jurisdiction: "KZ",
            kind: .utilityModel,
            events: ["filed=2020-03-20"], rule: "PARIS.priority.12", nominal: "2021-03-20", due: "2021-03-25",
            final: "2021-05-20"),
        .init(
            source: "Paris Art. 4C(1): designs 6 months, clamped to 28 Feb", jurisdiction: "KZ", kind: .design,
            events: ["filed=2024-08-31"], rule: "PARIS.priority.6", nominal: "2025-02-28", due: "2025-02-28"),
        .init(
            source: "Paris Art. 4C(1): trademarks 6 months", jurisdiction: "US", kind: .trademark,
            events: ["filed=2024-03-05"], rule: "PARIS.priority.6", nominal: "2024-09-05", due: "2024-09-05"),
        .init(
            source: "Paris Art. 4C(2): from the earliest priority, not the later filing", jurisdiction: "EP",
            kind: .patent,
            events: ["filed=2023-03-14", "priority=2022-09-01"], rule: "PARIS.priority.12", nominal: "2023-09-01",
            due: "2023-09-01", final: "2023-11-02"),
        // Restoration of priority (issue 11 §3)
        .init(
            source:
                "EPC Art. 87(1), Rule 136(1), Guidelines A-III 6.9: restoration requested within two months of the end of the priority period (4 Jun 2025 → 4 Aug 2025)",
            jurisdiction: "EP", kind: .patent,
            events: ["filed=2024-06-04"], rule: "PARIS.priority.12", nominal: "2025-06-04", due: "2025-06-04",
            final: "2025-08-04", status: .confirmed),
        .init(
            source:
                "PCT Rule 26bis.3(a), (e): an international application filed within two months of the end of the priority period (8 Oct 2025 → 8 Dec 2025)",
            jurisdiction: "KZ", kind: .patent,
            events: ["filed=2024-10-08"], rule: "PARIS.priority.12", nominal: "2025-10-08", due: "2025-10-08",
            final: "2025-12-08", status: .confirmed),
        .init(
            source:
                "37 CFR 1.55(c): foreign priority restored for a US filing within 14 months (8 Oct 2024 + 14 months = 8 Dec 2025)",
            jurisdiction: "EA", kind: .patent,
            events: ["filed=2024-10-08"], rule: "PARIS.priority.12", nominal: "2025-10-08", due: "2025-10-08",
            final: "2025-12-08"),
        // EP
        .init(
            source: "EPC Rule 51(1): last day of the month of the anniversary; Rule 51(2) grace", jurisdiction: "EP",
            kind: .patent,
            events: ["filed=2023-03-14"], rule: "EP.renewal", year: FeeYear(3), nominal: "2025-03-31",
            due: "2025-03-31", final: "2025-09-30", window: "2024-12-31"),
        .init(
            source: "reference: due 28 Feb → grace ends 31 Aug (J 4/91, month end to month end)", jurisdiction: "EP",
            kind: .patent,
            events: ["filed=2021-02-10"], rule: "EP.renewal", year: FeeYear(3), nominal: "2023-02-28",
            due: "2023-02-28", final: "2023-08-31", window: "2022-11-28"),
        .init(
            source: "J 4/91: grace counted from the unrolled due date 31 Aug 2024 (a Saturday)", jurisdiction: "EP",
            kind: .patent,
            events: ["filed=2022-08-29"], rule: "EP.renewal", year: FeeYear(3), nominal: "2024-08-31",
            due: "2024-09-02", final: "2025-02-28"),
        .init(
            source: "EPC Rule 159(1)(g): renewal fee due before the 31-month date is due then", jurisdiction: "EP",
            kind: .patent,
            events: ["pct-filed=2021-02-10"], rule: "EP.renewal", year: FeeYear(3), nominal: "2023-09-10",
            due: "2023-09-11", final: "2024-03-11"),
        .init(
            source: "EPC Rule 159(1)(g): later renewal fees keep their own due date", jurisdiction: "EP", kind: .patent,
            events: ["pct-filed=2021-02-10"], rule: "EP.renewal", year: FeeYear(4), nominal: "2024-02-29",
            due: "2024-02-29", final: "2024-09-02"),
        .init(
            source: "EPC Rule 159(1): Euro-PCT entry 31 months", jurisdiction: "EP", kind: .patent,
            events: ["pct-filed=2021-02-10"], rule: "EP.euro-pct-entry", nominal: "2023-09-10", due: "2023-09-11"),
        .init(
            source: "EPC Rule 131(4), 134(1): 4-month period rolled past the EPO year-end closure", jurisdiction: "EP",
            kind: .patent,
            events: ["filed=2023-03-14", "office-action=2024-08-30"], rule: "EP.office-action", nominal: "2024-12-30",
            due: "2025-01-02", status: .unconfirmed),
        .init(
            source: "EPC Rule 70(1): 6 months", jurisdiction: "EP", kind: .patent,
            events: ["filed=2023-03-14", "search-report=2024-05-15"], rule: "EP.examination-request",
            nominal: "2024-11-15", due: "2024-11-15", status: .unconfirmed),
        .init(
            source: "EPC Art. 63(1): 20 years", jurisdiction: "EP", kind: .patent,
            events: ["filed=2023-03-14"], rule: "EP.term", nominal: "2043-03-14", due: "2043-03-14"),
        // US
        .init(
            source: "37 CFR 1.362: 3.5 years, window at 3, grace to 4 (rolled past Labor Day)", jurisdiction: "US",
            kind: .patent,
            events: ["filed=2018-01-10", "granted=2020-08-31"], rule: "US.maintenance-fee", year: FeeYear(halfYears: 7),
            nominal: "2024-02-29", due: "2024-02-29", final: "2024-09-03", window: "2023-08-31", status: .unconfirmed),
        .init(
            source: "37 CFR 1.362: grace ends on a Sunday before MLK Day", jurisdiction: "US", kind: .patent,
            events: ["filed=2017-01-10", "granted=2019-01-15"], rule: "US.maintenance-fee", year: FeeYear(halfYears: 7),
            nominal: "2022-07-15", due: "2022-07-15", final: "2023-01-17", window: "2022-01-15", status: .confirmed),
        .init(
            source: "37 CFR 1.362: 7.5 years", jurisdiction: "US", kind: .patent,
            events: ["filed=2017-01-10", "granted=2019-01-15"], rule: "US.maintenance-fee",
            year: FeeYear(halfYears: 15),
            nominal: "2026-07-15", due: "2026-07-15", final: "2027-01-15", window: "2026-01-15"),
        .init(
            source:
                "MPEP 710.01(a): 3 months from 30 Nov ends 29 Feb; the extensions end on the 30th (30 May), counted from the action",
            jurisdiction: "US", kind: .patent,
            events: ["filed=2022-01-10", "office-action=2023-11-30"], rule: "US.office-action", nominal: "2024-02-29",
            due: "2024-02-29", final: "2024-05-30"),
        .init(
            source:
                "MPEP 710.01(a) worked example: action of 31 Jan due 30 Apr; extended to 31 Jul (6 months, 35 U.S.C. 133)",
            jurisdiction: "US", kind: .patent,
            events: ["filed=2022-01-10", "office-action=2025-01-31"], rule: "US.office-action", nominal: "2025-04-30",
            due: "2025-04-30", final: "2025-07-31"),
        .init(
            source: "MPEP 710.01(a): from 28 Feb the extended period ends 28 May, not 31 May", jurisdiction: "US",
            kind: .patent,
            events: ["filed=2022-01-10", "office-action=2024-02-28"], rule: "US.office-action", nominal: "2024-05-28",
            due: "2024-05-28", final: "2024-08-28"),
        .init(
            source: "MPEP 710.01(a): extensions from the unrolled end (Sunday 16 Jun), not the rolled Monday",
            jurisdiction: "US", kind: .patent,
            events: ["filed=2022-01-10", "office-action=2024-03-16"], rule: "US.office-action", nominal: "2024-06-16",
            due: "2024-06-17", final: "2024-09-16"),
        .init(
            source: "35 U.S.C. 119(e)(3): 12 months ending on Juneteenth", jurisdiction: "US", kind: .provisional,
            events: ["filed=2022-06-19"], rule: "US.provisional-conversion", nominal: "2023-06-19", due: "2023-06-20",
            final: "2023-08-21"),
        .init(
            source:
                "37 CFR 1.78(b): a nonprovisional within 14 months of the provisional with a petition (15 Jan 2025 → Sunday 15 Mar 2026, met Monday 16 Mar, 35 U.S.C. 21(b))",
            jurisdiction: "US", kind: .provisional,
            events: ["filed=2025-01-15"], rule: "US.provisional-conversion", nominal: "2026-01-15", due: "2026-01-15",
            final: "2026-03-16", status: .confirmed),
        .init(
            source: "35 U.S.C. 21(b): a Sunday before a Monday holiday (MLK Day, Inauguration Day)", jurisdiction: "US",
            kind: .provisional,
            events: ["filed=2024-01-19"], rule: "US.provisional-conversion", nominal: "2025-01-19", due: "2025-01-21",
            final: "2025-03-19"),
        .init(
            source: "15 U.S.C. 1059(a); 37 CFR 2.196: renewal on Independence Day", jurisdiction: "US",
            kind: .trademark,
            events: ["filed=2013-05-01", "granted=2015-07-04"], rule: "US.trademark-renewal", year: FeeYear(10),
            nominal: "2025-07-04", due: "2025-07-07", final: "2026-01-05", window: "2024-07-04"),
        .init(
            source:
                "15 U.S.C. 1058(a)(1), (3): the Section 8 declaration in the year before the 6th anniversary of registration, 6 months' grace",
            jurisdiction: "US", kind: .trademark,
            events: ["filed=2019-05-02", "granted=2020-06-30"], rule: "US.trademark-declaration",
            nominal: "2026-06-30", due: "2026-06-30", final: "2026-12-30", window: "2025-06-30", status: .confirmed),
        .init(
            source: "35 U.S.C. 154(a)(2): 20 years", jurisdiction: "US", kind: .patent,
            events: ["filed=2020-01-10"], rule: "US.term", nominal: "2040-01-10", due: "2040-01-10"),
        // KZ
        .init(
            source: "KZ Patent Law Art. 26(1): grant fee period ending on Nauryz", jurisdiction: "KZ", kind: .patent,
            events: ["filed=2023-01-10", "grant-decision=2024-12-21"], rule: "KZ.grant-fee", nominal: "2025-03-21",
            due: "2025-03-26"),
        .init(
            source: "KZ calendar: period ending on Kurban Ait 2025", jurisdiction: "KZ", kind: .patent,
            events: ["filed=2023-01-10", "grant-decision=2025-03-06"], rule: "KZ.grant-fee", nominal: "2025-06-06",
            due: "2025-06-09"),
        .init(
            source: "enbek.gov.kz: Kurban Ait on a Sunday gives no day off after it", jurisdiction: "KZ", kind: .patent,
            events: ["filed=2023-01-10", "grant-decision=2024-03-16"], rule: "KZ.grant-fee", nominal: "2024-06-16",
            due: "2024-06-17"),
        .init(
            source: "KZ calendar: a Sunday before Independence Day on a Monday", jurisdiction: "KZ", kind: .design,
            events: ["filed=2023-01-10", "grant-decision=2024-09-15"], rule: "KZ.grant-fee", nominal: "2024-12-15",
            due: "2024-12-17"),
        .init(
            source: "KZ examination fee: 3 months from the formal-examination notice", jurisdiction: "KZ",
            kind: .patent,
            events: ["filed=2023-01-10", "formal-examination-notice=2023-04-10"], rule: "KZ.examination-fee",
            nominal: "2023-07-10", due: "2023-07-10"),
        .init(
            source: "WIPO table: KZ national phase 31 months", jurisdiction: "KZ", kind: .patent,
            events: ["pct-filed=2024-03-14", "priority=2023-03-14"], rule: "KZ.pct-entry", nominal: "2025-10-14",
            due: "2025-10-14"),
        .init(
            source: "kazpatent.kz: first payment within 2 months of grant covers earlier years", jurisdiction: "KZ",
            kind: .patent,
            events: ["filed=2020-03-20", "granted=2023-01-10"], rule: "KZ.annual-fee", year: FeeYear(1),
            nominal: "2023-03-10", due: "2023-03-10", status: .unconfirmed),
        .init(
            source: "kazpatent.kz: annual fee by the date corresponding to filing", jurisdiction: "KZ", kind: .patent,
            events: ["filed=2020-03-20", "granted=2023-01-10"], rule: "KZ.annual-fee", year: FeeYear(4),
            nominal: "2023-03-20", due: "2023-03-20", status: .unconfirmed),
        .init(
            source: "reference: rolling of KZ annuity dates unconfirmed, so not rolled (Nauryz 2025)",
            jurisdiction: "KZ", kind: .patent,
            events: ["filed=2019-03-22", "granted=2021-01-10"], rule: "KZ.annual-fee", year: FeeYear(7),
            nominal: "2025-03-22", due: "2025-03-22", status: .unconfirmed),
        .init(
            source: "KZ Patent Law: invention 20 years", jurisdiction: "KZ", kind: .patent,
            events: ["filed=2023-03-14"], rule: "KZ.term.patent", nominal: "2043-03-14", due: "2043-03-14"),
        .init(
            source: "agent sources: utility model 5 years (unconfirmed)", jurisdiction: "KZ", kind: .utilityModel,
            events: ["filed=2023-03-14"], rule: "KZ.term.utility-model", nominal: "2028-03-14", due: "2028-03-14",
            status: .unconfirmed),
        .init(
            source: "kazpatent.kz: trademark 10 years, renewal in the last year", jurisdiction: "KZ", kind: .trademark,
            events: ["filed=2015-07-01"], rule: "KZ.trademark-renewal", year: FeeYear(10), nominal: "2025-07-01",
            due: "2025-07-01", final: "2026-01-01", window: "2024-07-01", status: .unconfirmed),
        // KZ copyright: Law No. 6-I of 10 June 1996, Art. 28: life and 70 years, counted from
        // 1 January of the year after the death; for co-authors, after the last one's death.
        .init(
            source: "KZ Copyright Law Art. 28: died 10 May 2020, counted from 1 Jan 2021, ends 31 Dec 2090",
            jurisdiction: "KZ", kind: .software, events: ["filed=2023-02-01", "granted=2023-02-20", "author-died=2020-05-10"],
            rule: "KZ.term.copyright", nominal: "2090-12-31", due: "2090-12-31", status: .unconfirmed),
        .init(
            source: "KZ Copyright Law Art. 28: co-authors, the last died 1 Jan 2022 → 31 Dec 2092", jurisdiction: "KZ",
            kind: .database, events: ["author-died=2015-12-31", "author-died=2022-01-01", "author-died=2019-07-04"],
            rule: "KZ.term.copyright", nominal: "2092-12-31", due: "2092-12-31", status: .unconfirmed),
        .init(
            source: "KZ Copyright Law Art. 28: a work (design documentation), death on 31 Dec 1990 → 31 Dec 2060",
            jurisdiction: "KZ", kind: .work, events: ["author-died=1990-12-31"], rule: "KZ.term.copyright",
            nominal: "2060-12-31", due: "2060-12-31", status: .unconfirmed),
        // EA
        .init(
            source: "EAPO annual fee by the filing-date anniversary; Russian calendar (unconfirmed)",
            jurisdiction: "EA", kind: .patent,
            events: ["filed=2022-06-12"], rule: "EA.annual-fee", year: FeeYear(3), nominal: "2024-06-12",
            due: "2024-06-13", status: .unconfirmed),
        .init(
            source: "Eurasian patent: 20 years", jurisdiction: "EA", kind: .patent,
            events: ["filed=2022-06-12"], rule: "EA.term", nominal: "2042-06-12", due: "2042-06-12"),
        .init(
            source: "WIPO table: EA regional phase 31 months", jurisdiction: "EA", kind: .patent,
            events: ["pct-filed=2024-03-14", "priority=2023-03-14"], rule: "EA.pct-entry", nominal: "2025-10-14",
            due: "2025-10-14", status: .unconfirmed),
    ]

    @Test("Worked examples from the reference and the citations", arguments: EngineTests.examples)
    func workedExample(_ example: WorkedExample) throws {
        let deadlines = try schedule(example.jurisdiction, example.kind, example.events)
        let deadline = try #require(
            deadlines.first { $0.ruleID == example.rule && $0.year == example.year },
            "no \(example.rule) in \(deadlines.map(\.key))")
        #expect(deadline.nominal == (try CivilDate(iso: example.nominal)))
        #expect(deadline.due == (try CivilDate(iso: example.due)))
        #expect(deadline.final == (try example.final.map { try CivilDate(iso: $0) }))
        if let window = example.window { #expect(deadline.windowOpens == (try CivilDate(iso: window))) }
        if let status = example.status { #expect(deadline.status == status) }
        #expect(!deadline.explanation.isEmpty)
    }

    @Test("The explanation derives the date in one line")
    func explanationReadsLikeTheDesign() throws {
        let deadlines = try schedule("WO", .pctApplication, ["filed=2024-03-14", "priority=2023-03-14"])
        let us = try #require(deadlines.first { $0.ruleID == "WO.national-phase.US" })
        #expect(
            us.explanation
                == "30 months from earliest priority 2023-03-14, PCT Art. 22(1), 39(1)(a); 35 U.S.C. 371(b); 37 CFR 1.495; 2025-09-14 is a Sunday → 2025-09-15"
        )
        let nauryz = try #require(
            try schedule("KZ", .patent, ["filed=2023-01-10", "grant-decision=2024-12-21"]).first {
                $0.type == .grantFee
            })
        #expect(nauryz.explanation.contains("2025-03-21 is Nauryz, 2025-03-22 is Nauryz, a Saturday"))
        #expect(nauryz.explanation.contains("2025-03-23 is Nauryz, a Sunday"))
        #expect(nauryz.explanation.contains("2025-03-24 is a day off for Nauryz on Saturday 2025-03-22"))
        #expect(nauryz.explanation.hasSuffix("→ 2025-03-26"))
        #expect(!nauryz.explanation.contains("\n"))
        let clamped = try #require(try schedule("KZ", .patent, ["filed=2024-02-29"]).first { $0.type == .priority })
        #expect(clamped.explanation.contains("no day 29 in that month"))
        let extended = try #require(
            try schedule("US", .patent, ["filed=2022-01-10", "office-action=2024-03-16"]).first {
                $0.type == .officeActionResponse
            })
        #expect(
            extended.explanation.contains(
                "extension by up to 3 months, counted from notification 2024-03-16 (2024-07-16, 2024-08-16, 2024-09-16)"
            ))
    }

    @Test("A work's term runs from the last author's death to the end of the year, and nothing else is due")
    func copyrightTermOnly() throws {
        let registered = ["filed=2023-02-01", "granted=2023-02-20"]
        // While the authors live no term can be computed, and an object of copyright has no fees.
        #expect(try schedule("KZ", .software, registered).isEmpty)
        let deadlines = try schedule("KZ", .software, registered + ["author-died=2018-03-01", "author-died=2024-06-30"])
        #expect(deadlines.map(\.ruleID) == ["KZ.term.copyright"])
        let term = try #require(deadlines.first)
        #expect(term.trigger.date == (try CivilDate(iso: "2024-06-30")))
        #expect(
            term.explanation.hasPrefix(
                "70 years from the last author-died 2024-06-30, to the end of that year → 2094-12-31, Law of the Republic of Kazakhstan No. 6-I"
            ))
        #expect(term.explanation.contains("not rolled"))
        // The same events on a patent start no term.
        #expect(!(try schedule("KZ", .patent, ["author-died=2020-05-10"])).contains { $0.ruleID == "KZ.term.copyright" })
    }

    /// MPEP 710.01(a): "A 1-month extension of time extends the time for reply to the date
    /// corresponding to the Office action date in the following month." Its example: an action
    /// dated 31 January with a 3-month shortened period is due 30 April; with a 1-month extension,
    /// 31 May. Every step and the 6-month statutory maximum (35 U.S.C. 133) count from the action.
    @Test("Extensions of time count from the action's date, not from the clamped end (MPEP 710.01(a))")
    func extensionsCountFromTheActionDate() throws {
        let january = try #require(
            try schedule("US", .patent, ["filed=2022-01-10", "office-action=2025-01-31"]).first {
                $0.type == .officeActionResponse
            })
        #expect(january.nominal == (try CivilDate(iso: "2025-04-30")))
        #expect(january.final == (try CivilDate(iso: "2025-07-31")))
        #expect(january.explanation.contains("(2025-05-31, 2025-06-30, 2025-07-31)"))
        #expect(!january.explanation.contains("2025-05-30"))

        let november = try #require(
            try schedule("US", .patent, ["filed=2022-01-10", "office-action=2026-11-30"]).first {
                $0.type == .officeActionResponse
            })
        // 28 Feb 2027 is a Sunday: the reply is due Monday 1 Mar (35 U.S.C. 21(b)), which moves no
        // extended date; the 6-month limit is 30 May 2027, a Sunday before Memorial Day, so 1 Jun.
        #expect(november.nominal == (try CivilDate(iso: "2027-02-28")))
        #expect(november.due == (try CivilDate(iso: "2027-03-01")))
        #expect(november.explanation.contains("(2027-03-30, 2027-04-30, 2027-05-30)"))
        #expect(november.final == (try CivilDate(iso: "2027-06-01")))

        // The last day of a month does not carry through: 28 Feb + 6 months is 28 Aug.
        let february = try #require(
            try schedule("US", .patent, ["filed=2022-01-10", "office-action=2025-02-28"]).first {
                $0.type == .officeActionResponse
            })
        #expect(february.nominal == (try CivilDate(iso: "2025-05-28")))
        #expect(february.final == (try CivilDate(iso: "2025-08-28")))
    }

    @Test("Estimated holidays make the deadline unconfirmed")
    func estimatedHolidayMakesDeadlineUnconfirmed() throws {
        // Kurban Ait 2026 (27 May) is an estimate.
        let deadline = try #require(
            try schedule("KZ", .patent, ["filed=2024-01-10", "grant-decision=2026-02-27"]).first {
                $0.type == .grantFee
            })
        #expect(deadline.due == (try CivilDate(iso: "2026-05-28")))
        #expect(deadline.status == .unconfirmed)
        #expect(deadline.explanation.contains("(unconfirmed)"))
    }

    @Test("A date beyond the calendar's years of data is unconfirmed, and the explanation says why")
    func dateBeyondCalendarDataIsUnconfirmed() throws {
        let deadlines = try schedule("EP", .patent, ["filed=2024-01-10"])
        let renewals = deadlines.filter { $0.type == .renewal }
        let late = try #require(renewals.first { $0.due.year > 2030 })
        #expect(late.status == .unconfirmed)
        #expect(late.explanation.contains("holidays of that year are not in the calendar data yet"))
        // Within the data, the same rule stays confirmed.
        let early = try #require(renewals.first { $0.due.year <= 2029 && ($0.final?.year ?? 0) <= 2029 })
        #expect(early.status == .confirmed)
    }

    @Test("An annuity payment closes its own year only")
    func annuityPaymentClosesItsYear() throws {
        let deadlines = try schedule("EP", .patent, ["filed=2023-03-14", "annuity-paid=2025-03-01:3"])
        let renewals = deadlines.filter { $0.type == .renewal }
        #expect(renewals.count == 18)
        #expect(renewals.first { $0.year == FeeYear(3) }?.closedBy?.date == (try CivilDate(iso: "2025-03-01")))
        #expect(renewals.filter(\.isClosed).count == 1)
    }

    @Test("A response closes the office action it answers; a later action stays open")
    func responseClosesOfficeAction() throws {
        let deadlines = try schedule(
            "US", .patent,
            ["filed=2022-01-10", "office-action=2023-05-01", "response-filed=2023-07-01", "office-action=2023-09-01"])
        let actions = deadlines.filter { $0.type == .officeActionResponse }
        #expect(actions.count == 2)
        #expect(actions.first { $0.trigger.date == (try! CivilDate(iso: "2023-05-01")) }?.isClosed == true)
        #expect(actions.first { $0.trigger.date == (try! CivilDate(iso: "2023-09-01")) }?.isClosed == false)
    }

    @Test("Withdrawal ends the schedule; restoration resumes it")
    func withdrawalEndsSchedule() throws {
        let withdrawn = try schedule("EP", .patent, ["filed=2023-03-14", "withdrawn=2026-06-01"])
        #expect(withdrawn.filter { $0.type == .renewal }.map(\.year) == [FeeYear(3), FeeYear(4)])
        #expect(!withdrawn.contains { $0.type == .termEnd })
        let restored = try schedule("EP", .patent, ["filed=2023-03-14", "lapsed=2026-06-01", "restored=2026-09-01"])
        #expect(restored.filter { $0.type == .renewal }.count == 18)
    }

    @Test("EP renewal fees stop after the mention of grant (EPC Art. 86(2))")
    func epRenewalsStopAtGrant() throws {
        let deadlines = try schedule("EP", .patent, ["filed=2023-03-14", "granted=2027-06-01"])
        #expect(deadlines.filter { $0.type == .renewal }.map(\.year) == [FeeYear(3), FeeYear(4), FeeYear(5)])
    }

    @Test("Entering one office closes that office's national phase only")
    func nationalPhaseEntryClosesItsOffice() throws {
        let deadlines = try schedule(
            "WO", .pctApplication, ["filed=2024-03-14", "priority=2023-03-14", "national-phase-entered=2025-09-01:EP"])
        let phases = deadlines.filter { $0.type == .nationalPhase }
        #expect(phases.first { $0.ruleID == "WO.national-phase.EP" }?.isClosed == true)
        #expect(phases.filter(\.isClosed).count == 1)
    }

    @Test("Rules apply only under their conditions")
    func conditions() throws {
        // KZ annual fees only once granted; EP publication not for Euro-PCT; Euro-PCT entry only from a PCT filing.
        #expect(try !schedule("KZ", .patent, ["filed=2023-03-14"]).contains { $0.type == .renewal })
        #expect(try !schedule("EP", .patent, ["pct-filed=2023-03-14"]).contains { $0.type == .publication })
        #expect(try !schedule("EP", .patent, ["filed=2023-03-14"]).contains { $0.type == .nationalPhase })
        #expect(try schedule("KZ", .patent, []).isEmpty)
    }

    @Test("Recomputing gives the same deadlines with unique keys")
    func deterministicAndKeyed() throws {
        let events = [
            "filed=2021-05-31", "priority=2020-06-02", "granted=2024-01-10", "office-action=2022-02-28",
            "office-action=2022-08-31",
        ]
        for (jurisdiction, kind) in [("KZ", RightKind.patent), ("EP", .patent), ("US", .patent), ("EA", .patent)] {
            let first = try schedule(jurisdiction, kind, events)
            let second = try schedule(jurisdiction, kind, events.reversed())
            #expect(first == second)
            #expect(Set(first.map(\.key)).count == first.count)
            let duplicated = try schedule(jurisdiction, kind, events + events)
            #expect(duplicated == first)
        }
    }

    @Test("Properties over generated rights: due is open and never early, final never before due")
    func propertiesOverGeneratedDates() throws {
        var random = SplitMix(seed: 2024)
        let rights: [(String, RightKind)] = [
            ("KZ", .patent), ("KZ", .utilityModel), ("KZ", .design), ("KZ", .trademark), ("EA", .patent),
            ("EP", .patent), ("US", .patent), ("US", .provisional), ("US", .trademark), ("WO", .pctApplication),
        ]
        let start = try CivilDate(iso: "2013-01-01").daysSinceEpoch
        var checked = 0
        for round in 0..<3_000 {
            let (code, kind) = rights[round % rights.count]
            let filed = CivilDate(daysSinceEpoch: start + Int32(random.next() % 6000))
            func later(_ days: UInt64) -> CivilDate { filed.adding(days: Int(random.next() % days)) }
            var events = [
                RightEvent(random.next() % 3 == 0 && kind == .patent ? .pctFiled : .filed, on: filed),
                RightEvent(.priority, on: filed.adding(days: -Int(random.next() % 365))),
                RightEvent(.granted, on: later(2500)), RightEvent(.officeAction, on: later(1500)),
                RightEvent(.grantDecision, on: later(1500)), RightEvent(.formalExaminationNotice, on: later(400)),
                RightEvent(.searchReport, on: later(700)), RightEvent(.searchReportTransmitted, on: later(700)),
            ]
            if random.next() % 2 == 0 { events.append(RightEvent(.filed, on: filed)) }
            let deadlines = engine.deadlines(jurisdiction: try #require(Jurisdiction(code)), kind: kind, events: events)
            for deadline in deadlines {
                #expect(deadline.due >= deadline.nominal, "\(deadline.key)")
                if let calendar = deadline.rule.calendar {
                    #expect(!calendar.isClosed(deadline.due), "\(deadline.key): due \(deadline.due) is closed")
                    if let final = deadline.final {
                        #expect(!calendar.isClosed(final), "\(deadline.key): final \(final) is closed")
                    }
                }
                if let final = deadline.final { #expect(final >= deadline.due, "\(deadline.key)") }
                checked += 1
            }
        }
        #expect(checked > 30_000)
    }
}

@Suite("ipcase deadlines compute")
struct DeadlinesComputeTests {
    @Test("JSON output has exactly the documented shape")
    func jsonShape() throws {
        let output = try DeadlinesCompute.run(
            jurisdiction: "KZ", kind: "patent",
            events: ["filed=2023-03-14", "priority=2022-03-14", "granted=2025-01-10"],
            format: "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["deadlines"])
        let deadlines = try #require(object["deadlines"] as? [[String: Any]])
        #expect(deadlines.count == 22)
        let required: Set<String> = ["type", "rule", "nominal", "due", "citation", "rule_status", "explanation"]
        let allowed = required.union(["year", "final", "window_opens"])
        let datePattern = try NSRegularExpression(pattern: "^\\d{4}-\\d{2}-\\d{2}$")
        for deadline in deadlines {
            #expect(
                required.isSubset(of: Set(deadline.keys)) && Set(deadline.keys).isSubset(of: allowed),
                "\(deadline.keys)")
            for key in ["nominal", "due", "final", "window_opens"] {
                guard let value = deadline[key] else { continue }
                let text = try #require(value as? String)
                #expect(datePattern.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil)
            }
            #expect(["confirmed", "unconfirmed"].contains(deadline["rule_status"] as? String ?? ""))
            #expect(DeadlineType(rawValue: deadline["type"] as? String ?? "") != nil)
        }
        let renewals = deadlines.filter { $0["type"] as? String == "renewal" }
        #expect(renewals.compactMap { $0["year"] as? Int } == Array(1...20))
        let priority = try #require(deadlines.first { $0["type"] as? String == "priority" })
        #expect(priority["due"] as? String == "2023-03-14")
        #expect(priority["year"] == nil)
    }

    @Test("Maintenance fee years are written 3.5, 7.5, 11.5")
    func halfYearsInJSON() throws {
        let output = try DeadlinesCompute.run(
            jurisdiction: "US", kind: "patent", events: ["filed=2018-01-10", "granted=2020-08-31"], format: "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let deadlines = try #require(object["deadlines"] as? [[String: Any]])
        let years = deadlines.filter { $0["type"] as? String == "maintenance_fee" }.compactMap { $0["year"] as? Double }
        #expect(years == [3.5, 7.5, 11.5])
    }

    @Test("The table lists deadlines by due date with their explanations")
    func tableFormat() throws {
        let output = try DeadlinesCompute.run(
            jurisdiction: "WO", kind: "pct-application", events: ["filed=2024-03-14", "priority=2023-03-14"],
            format: "table")
        let lines = output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("DUE") == true)
        #expect(output.contains("2025-09-15  national_phase"))
        #expect(output.contains("    30 months from earliest priority 2023-03-14"))
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        let jurisdiction: String?
        let kind: String?
        let events: [String]
        let format: String?
        let argument: String
        let mentions: String
        var testDescription: String { "\(argument): \(mentions)" }
    }

    @Test(
        "Bad input gives one line naming the argument",
        arguments: [
            BadInput(
                jurisdiction: "XX", kind: "patent", events: [], format: nil, argument: "--jurisdiction",
                mentions: "'XX' has no rules"),
            BadInput(
                jurisdiction: "K", kind: "patent", events: [], format: nil, argument: "--jurisdiction", mentions: "'K'"),
            BadInput(
                jurisdiction: nil, kind: "patent", events: [], format: nil, argument: "--jurisdiction",
                mentions: "missing"),
            BadInput(
                jurisdiction: "KZ", kind: "spaceship", events: [], format: nil, argument: "--kind",
                mentions: "'spaceship' is not a right kind"),
            BadInput(
                jurisdiction: "WO", kind: "trademark", events: [], format: nil, argument: "--kind",
                mentions: "no rules in WO"),
            BadInput(
                jurisdiction: "KZ", kind: "patent", events: ["filed=2023-02-30"], format: nil,
                argument: "--event 'filed=2023-02-30':", mentions: "'2023-02-30' is not a valid date"),
            BadInput(
                jurisdiction: "KZ", kind: "patent", events: ["flied=2023-02-03"], format: nil,
                argument: "--event 'flied=2023-02-03':", mentions: "'flied' is not an event type"),
            BadInput(
                jurisdiction: "KZ", kind: "patent", events: ["filed"], format: nil, argument: "--event 'filed':",
                mentions: "TYPE=YYYY-MM-DD"),
            BadInput(
                jurisdiction: "KZ", kind: "patent", events: ["annuity-paid=2023-02-03:x"], format: nil,
                argument: "--event 'annuity-paid=2023-02-03:x':", mentions: "fee year"),
            BadInput(
                jurisdiction: "KZ", kind: "patent", events: [], format: "xml", argument: "--format",
                mentions: "'xml' is not a format"),
        ])
    func badInput(_ input: BadInput) {
        #expect {
            try DeadlinesCompute.run(
                jurisdiction: input.jurisdiction, kind: input.kind, events: input.events, format: input.format)
        } throws: { error in
            guard let error = error as? DeadlinesCompute.InputError else { return false }
            return error.argument == input.argument && error.description.contains(input.mentions)
                && !error.description.contains("\n")
        }
    }
}

@Suite("Deadline engine: extensions, grace periods and combinations audited")
struct CountedFinalAuditTests {
    /// Every rule whose final date, cap or combination is counted from something, with how the
    /// law counts it. A new rule of that shape must be added here after its counting is checked.
    static let audited: [String: String] = [
        "US.office-action": "extension: each month counted from the action's date (MPEP 710.01(a)), cap 6 months from it (35 U.S.C. 133)",
        "EP.renewal": "grace: 6 months from the unrolled due date, month end to month end (EPC Rule 51(2), J 4/91)",
        "US.maintenance-fee": "grace: to 4, 8 or 12 years from grant (37 CFR 1.362(e))",
        "US.trademark-renewal": "grace: 6 months after the end of the 10-year period (15 U.S.C. 1059(a))",
        "US.trademark-declaration": "grace: 6 months after the 6th anniversary of registration (15 U.S.C. 1058(a)(3))",
        "US.provisional-conversion": "restoration: 14 months from the provisional's filing date (37 CFR 1.78(b))",
        "PARIS.priority.12": "restoration: two months from the (unrolled) end of the priority period (PCT Rule 26bis.3(a), EPC Rule 136(1)); 12 + 2 = 14 months (37 CFR 1.55(c)) except after 29 February, where it is a day earlier, never later",
        "KZ.trademark-renewal": "grace: 6 months after the end of validity (KZ Trademark Law Art. 15(3), unconfirmed)",
        "WO.demand": "later of 22 months from priority and 3 months from the search report, each from its own date (PCT Rule 54bis.1)",
        "WO.search-report": "later of 3 months from receipt of the search copy and 9 months from priority (PCT Rule 42.1)",
        "WO.national-phase.*": "late entry: months from the priority date, as the office's law gives them",
    ]

    @Test("Every final date, cap and combination is counted as its law says")
    func everyCountedFinalIsAudited() {
        let counted = RuleBook.standard.allRules.filter {
            $0.spec.final != nil || $0.spec.laterOf != nil || $0.spec.earlierOf != nil
        }
        #expect(!counted.isEmpty)
        for rule in counted {
            let key = rule.id.hasPrefix("WO.national-phase.") ? "WO.national-phase.*" : rule.id
            #expect(Self.audited[key] != nil, "\(rule.id) (\(rule.file)) has a final date or combination not audited")
            // An extension lengthens the period: it must never count from the period's clamped end.
            if let final = rule.spec.final, final.kind == .extension {
                #expect(rule.plan.final?.origin != .nominal, "\(rule.id): an extension counted from the nominal date")
                if let cap = final.cap { #expect(cap.from == .base || rule.plan.final?.cap?.origin == .period) }
            }
        }
    }
}
