import IPCase
import IPCaseReports
import Testing

/// One deadline and its explanation in each language.
struct ExplainedExample: CustomTestStringConvertible, Sendable {
    let name: String
    let jurisdiction: String
    let kind: RightKind
    let events: [String]
    let rule: String
    var year: FeeYear?
    let english: String
    let russian: String
    let kazakh: String

    var testDescription: String { name }

    func deadline() throws -> Deadline {
        let events = try events.map { try DeadlinesCompute.parseEvent($0) }
        let deadlines = DeadlineEngine().deadlines(
            jurisdiction: try #require(Jurisdiction(jurisdiction)), kind: kind, events: events)
        return try #require(deadlines.first { $0.ruleID == rule && (year == nil || $0.year == year) })
    }
}

@Suite("Deadline explanations in Kazakh and Russian")
struct ExplanationLocalizationTests {
    static let examples: [ExplainedExample] = [
        .init(
            name: "PCT national phase over a Sunday (PCT Art. 22(1))", jurisdiction: "WO", kind: .pctApplication,
            events: ["filed=2024-03-14", "priority=2023-03-14"], rule: "WO.national-phase.US",
            english:
                "30 months from earliest priority 2023-03-14, PCT Art. 22(1), 39(1)(a); 35 U.S.C. 371(b); 37 CFR 1.495; 2025-09-14 is a Sunday → 2025-09-15",
            russian:
                "30 месяцев с даты наиболее раннего приоритета 14.03.2023, PCT Art. 22(1), 39(1)(a); 35 U.S.C. 371(b); 37 CFR 1.495; 14.09.2025 — воскресенье → 15.09.2025",
            kazakh:
                "ең ерте басымдық күнінен (14.03.2023) бастап 30 ай, PCT Art. 22(1), 39(1)(a); 35 U.S.C. 371(b); 37 CFR 1.495; 14.09.2025 — жексенбі → 15.09.2025"
        ),
        .init(
            name: "EA annual fee (its grace is not in the data yet: said so)", jurisdiction: "EA", kind: .patent,
            events: ["filed=2022-06-12"],
            rule: "EA.annual-fee", year: FeeYear(3),
            english:
                "year 3: 2 years from filing 2022-06-12, Eurasian Patent Convention Art. 16; annual fees by the date corresponding to the filing date (agent sources); 2024-06-12 is Russia Day → 2024-06-13; unconfirmed: Fees from the 3rd year assumed; grace period and the governing calendar unconfirmed (Russian calendar as working assumption); no grace computed.",
            russian:
                "год 3: 2 года с даты подачи заявки 12.06.2022, Eurasian Patent Convention Art. 16; annual fees by the date corresponding to the filing date (agent sources); 12.06.2024 — нерабочий день: Russia Day → 13.06.2024; не подтверждено: Fees from the 3rd year assumed; grace period and the governing calendar unconfirmed (Russian calendar as working assumption); no grace computed.",
            kazakh:
                "3-жыл: өтінім берілген күнінен (12.06.2022) бастап 2 жыл, Eurasian Patent Convention Art. 16; annual fees by the date corresponding to the filing date (agent sources); 12.06.2024 — жұмыс істемейтін күн: Russia Day → 13.06.2024; расталмаған: Fees from the 3rd year assumed; grace period and the governing calendar unconfirmed (Russian calendar as working assumption); no grace computed."
        ),
        .init(
            name: "US office action with extensions of time", jurisdiction: "US", kind: .patent,
            events: ["filed=2022-01-10", "office-action=2024-03-16"], rule: "US.office-action",
            english:
                "3 months from notification 2024-03-16, 35 U.S.C. 133; 37 CFR 1.134, 1.136(a); MPEP 710.01(a); 2024-06-16 is a Sunday → 2024-06-17; extension by up to 3 months, counted from notification 2024-03-16 (2024-07-16, 2024-08-16, 2024-09-16) → 2024-09-16 (extension fees, 37 CFR 1.17(a))",
            russian:
                "3 месяца с даты уведомления 16.03.2024, 35 U.S.C. 133; 37 CFR 1.134, 1.136(a); MPEP 710.01(a); 16.06.2024 — воскресенье → 17.06.2024; продление не более чем на 3 месяца, считая с даты уведомления 16.03.2024 (16.07.2024, 16.08.2024, 16.09.2024) → 16.09.2024 (extension fees, 37 CFR 1.17(a))",
            kazakh:
                "хабарлама жіберілген күнінен (16.03.2024) бастап 3 ай, 35 U.S.C. 133; 37 CFR 1.134, 1.136(a); MPEP 710.01(a); 16.06.2024 — жексенбі → 17.06.2024; мерзімді ұзарту: ең көбі 3 ай, хабарлама жіберілген күнінен (16.03.2024) бастап есептеледі (16.07.2024, 16.08.2024, 16.09.2024) → 16.09.2024 (extension fees, 37 CFR 1.17(a))"
        ),
        .init(
            name: "KZ grant fee rolled past Nauryz", jurisdiction: "KZ", kind: .patent,
            events: ["filed=2023-01-10", "grant-decision=2024-12-21"], rule: "KZ.grant-fee",
            english:
                "3 months from grant-decision 2024-12-21, KZ Patent Law Art. 26(1) (via egov.kz); 2025-03-21 is Nauryz, 2025-03-22 is Nauryz, a Saturday, 2025-03-23 is Nauryz, a Sunday, 2025-03-24 is a day off for Nauryz on Saturday 2025-03-22, 2025-03-25 is a day off for Nauryz on Sunday 2025-03-23 → 2025-03-26",
            russian:
                "3 месяца с даты события «решение о выдаче охранного документа» 21.12.2024, KZ Patent Law Art. 26(1) (via egov.kz); 21.03.2025 — нерабочий день: Nauryz, 22.03.2025 — нерабочий день: Nauryz, суббота, 23.03.2025 — нерабочий день: Nauryz, воскресенье, 24.03.2025 — перенесённый выходной день: day off for Nauryz on Saturday 2025-03-22, 25.03.2025 — перенесённый выходной день: day off for Nauryz on Sunday 2025-03-23 → 26.03.2025",
            kazakh:
                "«қорғау құжатын беру туралы шешім» оқиғасы күнінен (21.12.2024) бастап 3 ай, KZ Patent Law Art. 26(1) (via egov.kz); 21.03.2025 — жұмыс істемейтін күн: Nauryz, 22.03.2025 — жұмыс істемейтін күн: Nauryz, сенбі, 23.03.2025 — жұмыс істемейтін күн: Nauryz, жексенбі, 24.03.2025 — ауыстырылған демалыс күні: day off for Nauryz on Saturday 2025-03-22, 25.03.2025 — ауыстырылған демалыс күні: day off for Nauryz on Sunday 2025-03-23 → 26.03.2025"
        ),
        .init(
            name: "EP renewal fee with its grace period (EPC Rule 51(2))", jurisdiction: "EP", kind: .patent,
            events: ["filed=2023-03-14"], rule: "EP.renewal", year: FeeYear(3),
            english:
                "year 3: 2 years from filing 2023-03-14, last day of that month → 2025-03-31, EPC Art. 86(1), Rule 51(1); Guidelines A-X 5.2.4; grace to 6 months after 2025-03-31, month end to month end → 2025-09-30 (with a 50 % additional fee, EPC Rule 51(2); J 4/91); may be done from 2024-12-31",
            russian:
                "год 3: 2 года с даты подачи заявки 14.03.2023, последний день этого месяца → 31.03.2025, EPC Art. 86(1), Rule 51(1); Guidelines A-X 5.2.4; льготный срок — 6 месяцев после 31.03.2025, от конца месяца до конца месяца → 30.09.2025 (with a 50 % additional fee, EPC Rule 51(2); J 4/91); действие может быть совершено не ранее 31.12.2024",
            kazakh:
                "3-жыл: өтінім берілген күнінен (14.03.2023) бастап 2 жыл, сол айдың соңғы күні → 31.03.2025, EPC Art. 86(1), Rule 51(1); Guidelines A-X 5.2.4; жеңілдік мерзімі: 31.03.2025 күннен кейін 6 ай, ай соңынан ай соңына дейін → 30.09.2025 (with a 50 % additional fee, EPC Rule 51(2); J 4/91); 31.12.2024 бастап жасауға болады"
        ),
    ]

    @Test("the explanation in English, Russian and Kazakh, citations and holiday names quoted", arguments: examples)
    func explanationInEveryLanguage(_ example: ExplainedExample) throws {
        let deadline = try example.deadline()
        #expect(deadline.explanation == example.english)
        #expect(deadline.explanation(phrases: Localizer(.english).explanationPhrases).text == example.english)
        #expect(deadline.explanation(phrases: Localizer(.russian).explanationPhrases).text == example.russian)
        #expect(deadline.explanation(phrases: Localizer(.kazakh).explanationPhrases).text == example.kazakh)
        // The rule's citation is quoted as written, never translated.
        for language in [Language.russian, .kazakh] {
            let quoted = deadline.explanation(phrases: Localizer(language).explanationPhrases).segments.filter(
                \.isQuoted)
            #expect(quoted.contains(.quoted(deadline.rule.citation)), "\(language)")
            // No English phrase is left outside the quoted runs.
            let local = deadline.explanation(phrases: Localizer(language).explanationPhrases).segments
                .filter { !$0.isQuoted }.map(\.text).joined()
            for english in [" from ", " is a ", " is ", "grace", "extension", "not rolled", "months", "year "] {
                #expect(!local.contains(english), "\(language): \(english) in \(local)")
            }
        }
    }

    @Test("every phrase of the explanation is an explain.* message in all three catalogs, English the default's")
    func everyPhraseIsInEveryCatalog() {
        let phrases = Set(ExplanationPhrases.Phrase.allCases.map(\.key))
        for language in Language.allCases {
            let catalog = Catalog.standard(language)
            let keys = catalog.keys.filter { $0.hasPrefix("explain.") }
            #expect(
                keys == phrases,
                "\(language): missing \(phrases.subtracting(keys).sorted()), extra \(keys.subtracting(phrases).sorted())"
            )
        }
        let english = Localizer(.english).explanationPhrases
        for phrase in ExplanationPhrases.Phrase.allCases {
            #expect(english.template(phrase) == ExplanationPhrases.englishTemplates[phrase], "\(phrase.key)")
        }
        #expect(ExplanationPhrases.englishTemplates.count == ExplanationPhrases.Phrase.allCases.count)
    }

    @Test("Russian months and days agree with their numbers; Kazakh ones do not change")
    func pluralsAgree() {
        let counts = [1, 2, 5, 11, 21, 22, 25, 102]
        #expect(counts.map(ExplanationPhrases.russianPlural) == [.one, .few, .many, .many, .one, .few, .many, .few])
        #expect(counts.map(ExplanationPhrases.kazakhPlural).allSatisfy { $0 == .many })
        let russian = Catalog.standard(.russian)
        #expect(russian.messages["explain.unit.month.one"] == "{n} месяц")
        #expect(russian.messages["explain.unit.month.few"] == "{n} месяца")
        #expect(russian.messages["explain.unit.month.many"] == "{n} месяцев")
        #expect(Catalog.standard(.kazakh).messages["explain.unit.month.many"] == "{n} ай")
    }

    @Test("holiday names and carried-over days from the calendar data are quoted, the weekdays translated")
    func holidayNamesAreQuoted() throws {
        let example = try #require(Self.examples.first { $0.rule == "KZ.grant-fee" })
        let russian = try example.deadline().explanation(phrases: Localizer(.russian).explanationPhrases)
        #expect(russian.segments.contains(.quoted("Nauryz")))
        #expect(russian.segments.contains(.quoted("day off for Nauryz on Saturday 2025-03-22")))
        #expect(russian.segments.contains(.local(", 22.03.2025 — нерабочий день: ")))
        #expect(russian.segments.contains(.local(", суббота, 23.03.2025 — нерабочий день: ")))
    }
}
