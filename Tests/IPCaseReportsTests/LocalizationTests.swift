import Foundation
import IPCase
import IPCaseReports
import Testing

@Suite("Localization")
struct LocalizationTests {
    static let year2025 = try! ReportPeriod.year(2025)

    /// The sample portfolio's report with rates, a preparation and every section filled.
    static func report() throws -> IndicatorReport {
        var report = try IndicatorReport.compute(
            for: year2025, from: KZTTotalsTests.portfolio, rates: KZTTotalsTests.rates)
        report.preparation = IndicatorReport.Preparation(
            officeName: "Satbayev University TTO", preparedOn: day("2026-01-15"), preparedBy: "А. Сейтқали")
        return report
    }

    @Test("every key is in all three catalogs, with the same placeholders, and no catalog has more")
    func catalogsHaveTheSameKeys() {
        let english = Catalog.standard(.english)
        #expect(english.keys.count > 150)
        for language in Language.allCases {
            let catalog = Catalog.standard(language)
            #expect(
                catalog.keys == english.keys,
                "\(language) lacks \(english.keys.subtracting(catalog.keys).sorted()), has extra \(catalog.keys.subtracting(english.keys).sorted())"
            )
            for key in english.keys {
                #expect(catalog.placeholders(of: key) == english.placeholders(of: key), "\(language) \(key)")
                #expect(!(catalog.messages[key] ?? "").isEmpty, "\(language) \(key) is empty")
            }
        }
    }

    @Test("every tally the report can show has a label in every language")
    func everyTallyKeyHasALabel() throws {
        let keys =
            Region.allCases.map { "region.\($0.rawValue)" } + Party.Sector.allCases.map { "sector.\($0.rawValue)" }
            + Disclosure.FundingSource.allCases.map { "funding.\($0.rawValue)" }
            + Party.Gender.allCases.map { "gender.\($0.rawValue)" }
            + Party.CareerStage.allCases.map { "career.\($0.rawValue)" }
            + GreenCategory.allCases.map { "green.\($0.rawValue)" }
            + (Agreement.Kind.allCases.map(\.rawValue) + ["unknown"]).map { "agreement.\($0)" }
            + RightKind.allCases.filter(\.isCopyright).map { "right-kind.\($0.rawValue)" }
            + ["national-kz", "eurasian-ea", "pct-wo", "foreign"].map { "route.\($0)" }
            + ["region.unknown", "region.unspecified", "location.abroad", "location.kz-unspecified", "location.unknown"]
        for language in Language.allCases {
            for key in keys { #expect(Catalog.standard(language).keys.contains(key), "\(language) \(key)") }
        }
    }

    @Test("every deadline type a notice can name has its words in every language, and the notices' keys are there")
    func everyNoticeKeyIsInEveryLanguage() throws {
        let types = DeadlineType.allCases.map(\.rawValue) + ObligationDeadline.Kind.allCases.map(\.rawValue)
        let keys =
            types.map { "notice.type.\($0)" }
            + ["one", "few", "many"].map { "notice.days.\($0)" } + ["year", "period", "stage"].map { "notice.what.\($0)" }
            + [
                "notice.headline", "notice.headline.final", "notice.headline.citation", "notice.escalation.subject",
                "notice.missed.subject", "notice.moved.subject", "notice.reminder.today", "notice.reminder.tomorrow",
                "notice.reminder.days", "notice.escalation.body", "notice.missed.body", "notice.moved.body",
                "notice.moved.body.final", "notice.final-date", "notice.legal-basis", "notice.attorney",
                "notice.consequence.right-lapsed", "notice.consequence.right-lapsed-restorable",
                "notice.consequence.option-lapsed", "notice.subject-line.titled",
            ]
        for language in Language.allCases {
            for key in keys { #expect(Catalog.standard(language).keys.contains(key), "\(language) \(key)") }
        }
        // English says a type as the docket's data spells it, so notices read as they did.
        for type in types {
            #expect(Localizer(.english)("notice.type.\(type)") == ObligationDeadline.words(type: type, year: nil))
        }
    }

    @Test(
        "days are declined by number: Russian 1/21 день, 2–4 дня, 5–20 дней; Kazakh күн; English 1 day, 2 days",
        arguments: [
            (Language.russian, 1, "1 день"), (.russian, 2, "2 дня"), (.russian, 4, "4 дня"), (.russian, 5, "5 дней"),
            (.russian, 11, "11 дней"), (.russian, 14, "14 дней"), (.russian, 21, "21 день"), (.russian, 22, "22 дня"),
            (.russian, 30, "30 дней"), (.kazakh, 1, "1 күн"), (.kazakh, 30, "30 күн"), (.english, 1, "1 day"),
            (.english, 30, "30 days"),
        ])
    func daysAreDeclinedByNumber(language: Language, count: Int, text: String) {
        #expect(Localizer(language).count(count, "notice.days") == text)
    }

    @Test("a missing key or argument is an error naming it, never the key printed instead")
    func missingMessagesFail() throws {
        let catalog = Catalog.standard(.russian)
        #expect(throws: Catalog.Missing.self) { try catalog.message("no.such.key") }
        do {
            _ = try catalog.message("text.of", ["part": "4"])
            Issue.record("a missing argument was filled silently")
        } catch {
            #expect(error.description.contains("text.of") && error.description.contains("whole"))
        }
        #expect(try catalog.message("text.of", ["part": "4", "whole": "6", "share": "66,7 %"]) == "4 из 6 (66,7 %)")
        #expect(throws: Language.Unknown.self) { try Language(code: "de") }
        do { _ = try Language(code: "xx") } catch { #expect(error.description == "'xx' is not one of kk, ru, en") }
    }

    @Test("Russian and Kazakh amounts group with no-break spaces and a decimal comma, the tenge as ₸")
    func amountsFollowTheLanguage() throws {
        let money = Money(minorUnits: 123_456_789, .kzt)
        #expect(Localizer(.russian).money(money) == "1\u{00A0}234\u{00A0}567,89\u{00A0}₸")
        #expect(Localizer(.kazakh).money(money) == "1\u{00A0}234\u{00A0}567,89\u{00A0}₸")
        #expect(Localizer(.english).money(money) == "1 234 567.89 KZT")
        #expect(Localizer(.russian).money(Money(minorUnits: -2_000_000, .eur)) == "-20\u{00A0}000,00\u{00A0}EUR")
        #expect(Localizer(.russian).date(day("2025-09-01")) == "01.09.2025")
        #expect(Localizer(.english).date(day("2025-09-01")) == "2025-09-01")
        #expect(Localizer(.kazakh).percent("66.7") == "66,7\u{00A0}%")
    }

    @Test("a Kazakh and a Russian report carry no English catalog text", arguments: [Language.kazakh, .russian])
    func noEnglishInTheOtherLanguages(language: Language) throws {
        let report = try Self.report()
        let english = Catalog.standard(.english)
        let other = Catalog.standard(language)
        // The literal words of every English message that differs (placeholders cut out), less
        // those the other catalog itself uses (codes such as "PCT (WO)", "AUTM").
        var fragments: Set<String> = []
        for (key, text) in english.messages where other.messages[key] != text {
            var rest = Substring(text)
            var pieces: [Substring] = []
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                pieces.append(rest[..<open])
                rest = rest[rest.index(after: close)...]
            }
            pieces.append(rest)
            for piece in pieces {
                let trimmed = piece.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
                guard trimmed.filter(\.isLetter).count >= 3,
                    !other.messages.values.contains(where: { $0.contains(trimmed) })
                else { continue }
                fragments.insert(trimmed)
            }
        }
        #expect(fragments.count > 150)
        for (format, text) in [
            ("table", report.table(language: language)), ("HTML", ReportChecks.visibleText(report.html(language: language))),
        ] {
            let found = fragments.filter { fragment in
                text.range(of: "(?<![\\p{L}])\(NSRegularExpression.escapedPattern(for: fragment))(?![\\p{L}])", options: .regularExpression) != nil
            }
            #expect(found.isEmpty, "\(language) \(format) has English: \(found.sorted())")
        }
    }

    @Test("the figures of a Kazakh and a Russian HTML report are the JSON's; the JSON is the same in every language")
    func localizedHTMLCarriesTheJSONFigures() throws {
        let report = try Self.report()
        for language in Language.allCases {
            try ReportChecks.htmlCarriesEveryJSONFigure(report, language: language)
        }
        let russian = report.html(language: .russian)
        #expect(russian.contains("lang=\"ru\""))
        // The commercialization income in KZT: 7 284 617.89, exactly in the Russian style.
        #expect(
            russian.contains(
                "data-figure=\"kazakhstan.commercialization_income.total.KZT.minor_units\" data-value=\"728461789\">7\u{00A0}284\u{00A0}617,89\u{00A0}₸<"
            ))
        #expect(report.table(language: .russian).contains("7\u{00A0}284\u{00A0}617,89\u{00A0}₸"))
        #expect(report.table(language: .kazakh).contains("Жасалған күні: 15.01.2026"))
        let json = report.json()
        #expect(!json.contains("\"language\""))
        #expect(try IndicatorReport.decode(json: Data(json.utf8)).json() == json)
    }

    @Test("English output is what it was: labels, ISO dates, amounts with the code")
    func englishIsUnchanged() throws {
        let report = try IndicatorTests.report()
        #expect(report.table() == report.table(language: .english))
        #expect(report.html() == report.html(language: .english))
        #expect(report.html().contains("<title>IPCase indicators 2025-01-01 – 2025-12-31</title>"))
        #expect(report.table().contains("  Licence income (total)"))
    }
}
