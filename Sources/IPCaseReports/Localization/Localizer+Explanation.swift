import IPCase

extension Localizer {
    /// The phrasebook of deadline explanations in this language, from the catalog's `explain.*`
    /// messages: its plural rule, its dates (``date(_:)``) and event names (`web.event.*`; codes in English).
    /// English gives `Deadline.explanation` byte for byte.
    ///
    /// ```swift
    /// deadline.explanation(phrases: Localizer(.russian).explanationPhrases).text
    /// // "30 месяцев с даты наиболее раннего приоритета 14.03.2023, PCT Art. 22(1); 14.09.2025 — воскресенье → 15.09.2025"
    /// ```
    public var explanationPhrases: ExplanationPhrases {
        var templates: [ExplanationPhrases.Phrase: String] = [:]
        for phrase in ExplanationPhrases.Phrase.allCases {
            // Templates stay templates: read raw, their placeholders filled by the explanation.
            templates[phrase] = catalog.messages[phrase.key] ?? catalog(phrase.key)
        }
        let plural: @Sendable (Int) -> ExplanationPhrases.Plural =
            switch language {
            case .english: ExplanationPhrases.englishPlural
            case .russian: ExplanationPhrases.russianPlural
            case .kazakh: ExplanationPhrases.kazakhPlural
            }
        let localizer = self
        return ExplanationPhrases(
            templates: templates, plural: plural, date: { localizer.date($0) },
            // English names events by their codes, as the CLI's line always has.
            eventName: { code in localizer.language == .english ? code : localizer.name("web.event.", code) })
    }
}
