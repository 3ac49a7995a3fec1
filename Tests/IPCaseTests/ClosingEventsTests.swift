import Foundation
import Testing

@testable import IPCase

/// One rule family's closing events: the events that trigger a deadline of `rule`, and each event
/// that, recorded after them, must meet it (with its legal reason).
struct ClosingCase: CustomTestStringConvertible, Sendable {
    let jurisdiction: String
    let kind: RightKind
    let events: [String]
    let rule: String
    /// The year of a recurring fee to look at.
    var year: FeeYear?
    /// Each event that closes it, as `kind=date[:year]`.
    let closers: [String]
    /// Why those events close it.
    let reason: String

    var testDescription: String { "\(rule): closed by \(closers.joined(separator: ", ")) (\(reason))" }
}

@Suite("Closing events of every rule family")
struct ClosingEventsTests {
    let engine = DeadlineEngine()

    func deadline(_ example: ClosingCase, extra: [String]) throws -> Deadline {
        let events = try (example.events + extra).map { try DeadlinesCompute.parseEvent($0) }
        let deadlines = engine.deadlines(
            jurisdiction: try #require(Jurisdiction(example.jurisdiction)), kind: example.kind, events: events)
        return try #require(
            deadlines.first { $0.rule.id == example.rule && (example.year == nil || $0.year == example.year) },
            "\(example.rule) not produced")
    }

    static let cases: [ClosingCase] = [
        .init(
            jurisdiction: "KZ", kind: .patent, events: ["filed=2024-01-10", "grant-decision=2025-11-20"],
            rule: "KZ.grant-fee", closers: ["grant-fee-paid=2026-01-15", "granted=2026-02-10"],
            reason: "KZ Patent Law Art. 26(1): the patent is granted once the fee is paid, so a grant meets it"),
        .init(
            jurisdiction: "KZ", kind: .patent, events: ["filed=2024-01-10", "formal-examination-notice=2024-03-01"],
            rule: "KZ.examination-fee", closers: ["examination-fee-paid=2024-04-01", "examination-requested=2024-04-01"],
            reason: "the substantive-examination fee is paid with the request"),
        .init(
            jurisdiction: "KZ", kind: .patent, events: ["filed=2024-01-10", "office-action=2024-06-03"],
            rule: "KZ.office-action", closers: ["response-filed=2024-08-01"], reason: "a response answers the action"),
        .init(
            jurisdiction: "KZ", kind: .patent, events: ["filed=2024-01-10", "granted=2025-06-02"],
            rule: "KZ.annual-fee", year: FeeYear(3), closers: ["annuity-paid=2025-07-01:3"],
            reason: "the annual fee of that year"),
        .init(
            jurisdiction: "KZ", kind: .trademark, events: ["filed=2016-05-10", "granted=2017-02-01"],
            rule: "KZ.trademark-renewal", closers: ["renewal-requested=2025-09-01"],
            reason: "a renewal request in the last year of validity"),
        .init(
            jurisdiction: "KZ", kind: .patent, events: ["pct-filed=2024-02-01", "priority=2023-02-01"],
            rule: "KZ.pct-entry", closers: ["national-phase-entered=2025-08-01"],
            reason: "entry into the national phase"),
        .init(
            jurisdiction: "EA", kind: .patent, events: ["filed=2023-03-14"], rule: "EA.annual-fee", year: FeeYear(3),
            closers: ["annuity-paid=2025-02-01:3"], reason: "the annual fee of that year"),
        .init(
            jurisdiction: "EP", kind: .patent, events: ["filed=2023-03-14"], rule: "EP.renewal", year: FeeYear(3),
            closers: ["annuity-paid=2025-03-01:3"], reason: "EPC Art. 86: the renewal fee of that year"),
        .init(
            jurisdiction: "EP", kind: .patent, events: ["filed=2023-03-14", "search-report=2023-11-02"],
            rule: "EP.examination-request", closers: ["examination-requested=2024-01-15"],
            reason: "EPC Art. 94(1): the request itself"),
        .init(
            jurisdiction: "EP", kind: .patent, events: ["filed=2023-03-14", "office-action=2024-06-03"],
            rule: "EP.office-action", closers: ["response-filed=2024-08-01"], reason: "a response answers the action"),
        .init(
            jurisdiction: "US", kind: .patent, events: ["filed=2020-03-02", "granted=2022-05-03"],
            rule: "US.maintenance-fee", year: FeeYear(halfYears: 7), closers: ["annuity-paid=2025-06-01:4"],
            reason: "35 U.S.C. 41(b): the fee due at 3.5 years, recorded as year 4 (or 3)"),
        .init(
            jurisdiction: "US", kind: .patent, events: ["filed=2024-03-01", "office-action=2024-11-30"],
            rule: "US.office-action", closers: ["response-filed=2025-01-15"], reason: "a reply to the action"),
        .init(
            jurisdiction: "US", kind: .provisional, events: ["filed=2024-03-01"], rule: "US.provisional-conversion",
            closers: ["non-provisional-filed=2025-02-20"],
            reason: "35 U.S.C. 119(e): the nonprovisional claiming it"),
        .init(
            jurisdiction: "WO", kind: .pctApplication, events: ["filed=2024-03-14", "priority=2023-03-14"],
            rule: "WO.demand", closers: ["demand-filed=2024-12-01"], reason: "PCT Art. 31: the demand itself"),
        .init(
            jurisdiction: "WO", kind: .pctApplication, events: ["filed=2024-03-14", "priority=2023-03-14"],
            rule: "WO.national-phase.KZ", closers: ["national-phase-entered=2025-09-01:KZ"],
            reason: "entry at the office the rule is for"),
        .init(
            jurisdiction: "EA", kind: .patent, events: ["pct-filed=2024-02-01", "priority=2023-02-01"],
            rule: "EA.pct-entry", closers: ["national-phase-entered=2025-08-01"], reason: "entry into the regional phase"),
        .init(
            jurisdiction: "EP", kind: .patent, events: ["pct-filed=2024-02-01", "priority=2023-02-01"],
            rule: "EP.euro-pct-entry", closers: ["national-phase-entered=2025-08-01"],
            reason: "EPC Rule 159(1): entry into the European phase"),
        .init(
            jurisdiction: "EP", kind: .patent, events: ["filed=2023-03-14"], rule: "EP.publication",
            closers: ["published=2024-09-12"], reason: "EPC Art. 93: the publication itself"),
        .init(
            jurisdiction: "US", kind: .patent, events: ["filed=2024-03-01"], rule: "US.publication",
            closers: ["published=2025-09-04"], reason: "35 U.S.C. 122(b): the publication itself"),
        .init(
            jurisdiction: "US", kind: .trademark, events: ["filed=2015-03-01", "granted=2016-04-05"],
            rule: "US.trademark-renewal", closers: ["renewal-requested=2025-06-01"],
            reason: "15 U.S.C. 1059: the renewal application"),
        .init(
            jurisdiction: "US", kind: .trademark, events: ["filed=2019-05-02", "granted=2020-06-30"],
            rule: "US.trademark-declaration", closers: ["use-declaration-filed=2026-02-01"],
            reason: "15 U.S.C. 1058(a)(1): the declaration of use itself"),
        .init(
            jurisdiction: "WO", kind: .pctApplication, events: ["filed=2024-03-14", "priority=2023-03-14"],
            rule: "WO.publication", closers: ["published=2024-09-19"], reason: "PCT Art. 21: the publication itself"),
        .init(
            jurisdiction: "WO", kind: .pctApplication, events: ["filed=2024-03-14", "priority=2023-03-14"],
            rule: "WO.search-report", closers: ["search-report=2024-07-01", "search-report-transmitted=2024-07-01"],
            reason: "PCT Rule 42: the search report, established or transmitted"),
    ]

    @Test("Each event that closes a rule's deadline closes it; without it the deadline stays open", arguments: cases)
    func closingEventsCloseTheirDeadline(_ example: ClosingCase) throws {
        #expect(try deadline(example, extra: []).closedBy == nil)
        for closer in example.closers {
            let closed = try deadline(example, extra: [closer])
            let event = try DeadlinesCompute.parseEvent(closer)
            #expect(closed.closedBy?.kind == event.kind, "\(closer) does not close \(example.rule)")
            #expect(closed.closedBy?.date == event.date)
        }
    }

    @Test("Every rule that can be met is in this table (the PCT national-phase table by one of its offices)")
    func everyClosableRuleIsInTheTable() {
        let tested = Set(Self.cases.map(\.rule))
        let untested = RuleBook.standard.allRules
            .filter { $0.spec.closedBy?.isEmpty == false && !$0.id.hasPrefix("WO.national-phase.") }
            .map(\.id).filter { !tested.contains($0) }
        #expect(untested.isEmpty, "rules with closing events not checked here: \(untested)")
    }
}

@Suite("Repeated deadlines are met one cycle at a time")
struct RepeatedClosingTests {
    @Test("a KZ trademark's renewal requested in its last year meets that renewal only; the next one shows without --all")
    func renewalRequestedMeetsItsOwnCycle() throws {
        let events = try ["filed=2020-05-10", "renewal-requested=2030-02-01"].map { try DeadlinesCompute.parseEvent($0) }
        let renewals = DeadlineEngine().deadlines(jurisdiction: .kazakhstan, kind: .trademark, events: events)
            .filter { $0.rule.id == "KZ.trademark-renewal" }
        // KZ Trademark Law: renewal for 10 years on a request filed in the last year of validity.
        #expect(renewals.map(\.due.description) == ["2030-05-10", "2040-05-10", "2050-05-10"])
        #expect(renewals.map(\.isClosed) == [true, false, false])
        let output = try DeadlinesCompute.run(
            jurisdiction: "KZ", kind: "trademark", events: ["filed=2020-05-10", "renewal-requested=2030-02-01"],
            format: "table", includeClosed: false)
        #expect(output.contains("2040-05-10  trademark_renewal  20"), "\(output)")
        #expect(!output.contains("2030-05-10  trademark_renewal"))
    }
}
