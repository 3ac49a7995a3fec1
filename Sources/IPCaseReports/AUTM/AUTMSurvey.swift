import Foundation
import IPCase

/// The office's answers to the AUTM Licensing Activity Survey for a period, keyed by the
/// survey's question numbers (Q3.1, Q4.1, Q4.2, Q5.4, Q7.1, Q7.4, Q8.1) with their breakdowns.
///
/// Definitions (dates inclusive), on the records of ``Portfolio``:
/// - Q3.1 research expenditures: not a record of IPCase; the figure the office supplies, else
///   missing;
/// - Q4.1 licences and Q4.2 options executed in the period, by licensee type: *start-up* (a party
///   an executed spin-off equity agreement names, ``IndicatorReport/startups(in:)``), *small*
///   (an organization with fewer than 500 employees, `Party.companySize`), *large*, or *other
///   or unknown* (a person, or employees not recorded); licences also by exclusive /
///   non-exclusive and those carrying equity;
/// - Q5.4 licence income received in the period: the indicators' licence income (issue fees,
///   option payments, minimums and running royalties, milestones, sublicence income, cashed-in
///   equity, other), excluding research funding (payments under sponsored research, MTAs, NDAs)
///   and patent-cost reimbursement, per currency; in KZT too with a rate table;
/// - Q7.1 invention disclosures received; Q7.4 new patent applications (first filings: no
///   priority claimed, not a national phase), with every application filed as a breakdown;
/// - Q8.1 start-ups formed (their first spin-off equity agreement executed in the period);
/// - patents issued in the period (a breakdown the survey asks for; its question number is not
///   in IPCase's reference, so it is keyed `patents_issued`).
public struct AUTMSurvey: Hashable, Sendable {
    /// One figure of an answer.
    public enum Value: Hashable, Sendable {
        /// A count.
        case count(Int)
        /// Amounts per currency.
        case money(MoneyTotals)
        /// Not known to IPCase, with why.
        case missing(String)
    }

    /// One item of one question, e.g. Q4.1 `licensee_startup`.
    public struct Answer: Hashable, Sendable {
        /// The survey's question number, e.g. `Q4.1`.
        public var question: String
        /// The item: `total` or a breakdown, e.g. `exclusive`.
        public var item: String
        /// The item in words.
        public var label: String
        /// The figure.
        public var value: Value
    }

    /// The period reported on.
    public var period: ReportPeriod
    /// The office reported on; `nil` for every office in the portfolio.
    public var office: ID<Office>?
    /// The answers in question order.
    public var answers: [Answer]

    /// The schema name written into JSON, `ipcase.autm-survey/1`.
    public static let schema = "ipcase.autm-survey/1"

    /// The questions in order with their titles.
    public static let questions: [(number: String, title: String)] = [
        ("Q3.1", "Research expenditures"),
        ("Q4.1", "Licences executed"),
        ("Q4.2", "Options executed"),
        ("Q5.4", "Licence income received"),
        ("Q7.1", "Invention disclosures received"),
        ("Q7.4", "New patent applications filed"),
        ("Q8.1", "Start-up companies formed"),
        ("patents_issued", "Patents issued"),
    ]

    /// Computes the answers of `period` (see the type's definitions).
    /// - Parameters:
    ///   - period: the period surveyed.
    ///   - portfolio: the records.
    ///   - office: only this office's records; every office's with `nil`.
    ///   - researchExpenditure: the office's research expenditures of the period (Q3.1), when supplied.
    ///   - rates: a rate table to give the licence income in KZT too.
    /// - Throws: `MoneyError.overflow(_:)` only if a sum leaves the 64-bit range.
    public static func compute(
        for period: ReportPeriod, from portfolio: Portfolio, office: ID<Office>? = nil,
        researchExpenditure: MoneyTotals? = nil, rates: ExchangeRates? = nil
    ) throws(MoneyError) -> AUTMSurvey {
        let indicators = try IndicatorReport.compute(for: period, from: portfolio, office: office, rates: nil)
        let parties = Dictionary(portfolio.parties.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let startups = IndicatorReport.startups(in: portfolio)
        let executed = portfolio.agreements.filter { agreement in
            (office.map { $0 == agreement.office } ?? true) && period.contains(agreement.executedOn)
        }
        var answers: [Answer] = []
        func add(_ question: String, _ item: String, _ label: String, _ value: Value) {
            answers.append(Answer(question: question, item: item, label: label, value: value))
        }
        func licenseeType(_ agreement: Agreement) -> String {
            guard let licensee = agreement.counterparties.first else { return "licensee_other_or_unknown" }
            if startups[licensee] != nil { return "licensee_startup" }
            switch parties[licensee]?.companySize {
            case .small: return "licensee_small"
            case .large: return "licensee_large"
            case nil: return "licensee_other_or_unknown"
            }
        }
        func byLicensee(_ question: String, _ agreements: [Agreement]) {
            for (item, label) in [
                ("licensee_startup", "to start-ups"), ("licensee_small", "to small companies (< 500 employees)"),
                ("licensee_large", "to large companies"),
                ("licensee_other_or_unknown", "to others, or size not recorded"),
            ] {
                add(question, item, label, .count(agreements.filter { licenseeType($0) == item }.count))
            }
        }

        add(
            "Q3.1", "total", "Research expenditures",
            researchExpenditure.map { .money($0) }
                ?? .missing("not recorded in IPCase: give the figure with --research-expenditure"))

        let licences = executed.filter { $0.kind.isLicence }
        add("Q4.1", "total", "Licences executed", .count(licences.count))
        add("Q4.1", "exclusive", "exclusive", .count(licences.filter { $0.kind == .exclusiveLicence }.count))
        add(
            "Q4.1", "non_exclusive", "non-exclusive",
            .count(licences.filter { $0.kind == .nonExclusiveLicence }.count))
        byLicensee("Q4.1", licences)
        add(
            "Q4.1", "with_equity", "carrying equity",
            .count(licences.filter { $0.financialTerms?.equity != nil }.count))

        let options = executed.filter { $0.kind == .option }
        add("Q4.2", "total", "Options executed", .count(options.count))
        byLicensee("Q4.2", options)

        let income = indicators.autm.licenceIncome
        add("Q5.4", "total", "Licence income received", .money(income.total))
        for (item, label, totals) in [
            ("running_royalties", "running royalties and minimums", income.runningRoyalties),
            ("upfront", "issue fees and option payments", income.upfront),
            ("milestones", "milestone payments", income.milestones),
            ("sublicense", "sublicence income", income.sublicense),
            ("equity_cash_outs", "cashed-in equity", income.equityCashOuts),
            ("other", "other licence income", income.other),
        ] {
            add("Q5.4", item, label, .money(totals))
        }
        if let rates {
            let kinds = Dictionary(portfolio.agreements.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
            var kzt = KZTConversion()
            for payment in portfolio.payments
            where (office.map { $0 == payment.office } ?? true) && period.contains(payment.receivedOn) {
                let kind = kinds[payment.agreement]
                guard payment.kind != .patentCostReimbursement, kind.map(IndicatorReport.isCommercial) ?? true else {
                    continue
                }
                try kzt.add(payment.amount, on: payment.receivedOn, rates: rates)
            }
            var total = MoneyTotals()
            try total.add(kzt.total)
            add("Q5.4", "total_kzt", "in KZT at the rates supplied", .money(total))
            var unconverted = MoneyTotals()
            for money in kzt.unconverted { try unconverted.add(money) }
            if !unconverted.isEmpty { add("Q5.4", "no_rate", "with no rate (not in the KZT total)", .money(unconverted)) }
        }

        add("Q7.1", "total", "Invention disclosures received", .count(indicators.autm.disclosuresReceived))
        add(
            "Q7.4", "total", "New patent applications filed (first filings)",
            .count(indicators.autm.patentApplications.firstFilings))
        add(
            "Q7.4", "all_applications", "every application filed (priority filings abroad, national phases)",
            .count(indicators.autm.patentApplications.all))
        add("Q8.1", "total", "Start-up companies formed", .count(indicators.autm.startupsFormed))
        add("patents_issued", "total", "Patents issued", .count(indicators.autm.patentsIssued))
        return AUTMSurvey(period: period, office: office, answers: answers)
    }
}

extension AUTMSurvey {
    /// JSON keyed by question: `{"schema", "survey", "period", "office", "questions": {"Q4.1":
    /// {"title", "items": {"total": 3, "exclusive": 2, …}}, "Q5.4": {"items": {"total":
    /// [{"currency", "minor_units", "amount"}], …}}, "Q3.1": {"items": {"total": null}, "missing":
    /// {"total": "why"}}}}`; sorted keys, pretty-printed.
    public func json() -> String {
        var questions: [String: Any] = [:]
        for (number, title) in Self.questions {
            var items: [String: Any] = [:]
            var missing: [String: String] = [:]
            for answer in answers where answer.question == number {
                switch answer.value {
                case .count(let count): items[answer.item] = count
                case .money(let totals):
                    items[answer.item] = totals.amounts.map {
                        [
                            "currency": $0.currency.code, "minor_units": $0.minorUnits,
                            "amount": MoneyTotals.plainDecimal($0),
                        ] as [String: Any]
                    }
                case .missing(let why):
                    items[answer.item] = NSNull()
                    missing[answer.item] = why
                }
            }
            var question: [String: Any] = ["title": title, "items": items]
            if !missing.isEmpty { question["missing"] = missing }
            questions[number] = question
        }
        let object: [String: Any] = [
            "schema": Self.schema, "survey": "AUTM Licensing Activity Survey",
            "period": ["from": period.from.description, "to": period.to.description],
            "office": office.map { Int($0.rawValue) as Any } ?? NSNull(), "questions": questions,
        ]
        // Plain strings, integers and null cannot fail to serialize.
        let data = try! JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// CSV (RFC 4180, CRLF): `question,item,label,count,amount,currency`, one row per item and
    /// currency (a missing figure has neither count nor amount).
    public func csv() -> String {
        var rows = [["question", "item", "label", "count", "amount", "currency"]]
        for answer in answers {
            switch answer.value {
            case .count(let count): rows.append([answer.question, answer.item, answer.label, String(count), "", ""])
            case .money(let totals):
                if totals.isEmpty { rows.append([answer.question, answer.item, answer.label, "", "", ""]) }
                for amount in totals.amounts {
                    rows.append([
                        answer.question, answer.item, answer.label, "", MoneyTotals.plainDecimal(amount),
                        amount.currency.code,
                    ])
                }
            case .missing: rows.append([answer.question, answer.item, answer.label, "", "", ""])
            }
        }
        return rows.map(TextEscaping.csvRecord).joined()
    }

    /// The answers as a plain-text table, one question after another.
    public func table(officeName: String? = nil) -> String {
        var rows: [(label: String, value: String)] = []
        for (number, title) in Self.questions {
            rows.append(("\(number) \(title)", ""))
            for answer in answers where answer.question == number {
                let value: String =
                    switch answer.value {
                    case .count(let count): String(count)
                    case .money(let totals): totals.description
                    case .missing(let why): "— (\(why))"
                    }
                rows.append(("  " + (answer.item == "total" ? "total" : answer.label), value))
            }
        }
        var out = "AUTM Licensing Activity Survey \(period)"
        if let officeName { out += " — \(officeName)" } else if let office { out += " — office \(office.rawValue)" }
        return out + "\n\n" + TextEscaping.alignedRows(rows)
    }
}
