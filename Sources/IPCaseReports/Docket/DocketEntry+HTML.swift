import IPCase

extension DocketEntry {
    /// The explanation as HTML, escaped (`TextEscaping.xml`): in `language` when it was rendered
    /// in it (``localizedExplanation``), with what is quoted from the data (citations, notes,
    /// holiday names) marked `lang="en"`; otherwise the English line, marked so.
    public func explanationHTML(in language: Language) -> String {
        guard language != .english, let localized = localizedExplanation else {
            return #"<small lang="en">"# + TextEscaping.xml(explanation) + "</small>"
        }
        let body = localized.rendered(
            local: TextEscaping.xml, quoted: { #"<span lang="en">"# + TextEscaping.xml($0) + "</span>" })
        return "<small>" + body + "</small>"
    }
}
