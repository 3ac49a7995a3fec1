import Foundation
import IPCaseReports
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Cross-checks of the HTML report against its JSON: the HTML parses as XML, and the figures
/// it carries (`data-figure`/`data-value`) are exactly the JSON's figures with the same values.
enum ReportChecks {
    /// JSON leaves that name rather than measure; not figures.
    static let identifierKeys: Set<String> = ["label", "key", "kind", "currency", "amount", "basis"]
    /// Top-level JSON members that describe the report rather than measure.
    static let metadataKeys: Set<String> = ["schema", "period", "office", "green_inventory", "preparation"]

    /// The JSON's figures by path: object keys joined by `.`, list rows by their `key`, `kind` or
    /// `currency`; `null` as the empty string.
    static func jsonFigures(_ json: String) throws -> [String: String] {
        let object = try #require(try jsonObject(json) as? [String: Any])
        var figures: [String: String] = [:]
        func walk(_ value: Any, _ path: String) {
            switch value {
            case let dictionary as [String: Any]:
                for (key, child) in dictionary where !identifierKeys.contains(key) {
                    walk(child, path.isEmpty ? key : "\(path).\(key)")
                }
            case let array as [Any]:
                for element in array {
                    let row = element as? [String: Any]
                    let name = (row?["key"] ?? row?["kind"] ?? row?["currency"]) as? String ?? "?"
                    walk(element, "\(path).\(name)")
                }
            case is NSNull: figures[path] = ""
            case let text as String: figures[path] = text
            case let number as Int: figures[path] = String(number)
            case let number as NSNumber: figures[path] = number.stringValue
            default: figures[path] = "\(value)"
            }
        }
        for (key, value) in object where !metadataKeys.contains(key) { walk(value, key) }
        return figures
    }

    final class Collector: NSObject, XMLParserDelegate {
        var figures: [String: String] = [:]
        var conflicting: [String] = []
        var chartValues: [(figure: String, value: String)] = []
        var rateReferences: Set<String> = []
        var text = ""
        var inStyle = false
        var elements = 0

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements += 1
            if elementName == "style" { inStyle = true }
            if let figure = attributes["data-figure"] {
                let value = attributes["data-value"] ?? "<missing>"
                if let earlier = figures[figure], earlier != value { conflicting.append(figure) }
                figures[figure] = value
            }
            if let figure = attributes["data-chart-figure"] {
                chartValues.append((figure, attributes["data-chart-value"] ?? "<missing>"))
            }
            if let reference = attributes["data-rate-ref"] { rateReferences.insert(reference) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if !inStyle { text += string } }
        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if elementName == "style" { inStyle = false }
            text += "\n"
        }
    }

    /// The text of `html` (what a reader sees: no markup, no attributes, no style sheet), parsed as XML.
    static func visibleText(_ html: String) -> String {
        let parser = XMLParser(data: Data(html.utf8))
        let collector = Collector()
        parser.delegate = collector
        _ = parser.parse()
        return collector.text
    }

    /// Parses the HTML (in `language`) as XML and checks its figures against the JSON's.
    static func htmlCarriesEveryJSONFigure(_ report: IndicatorReport, language: Language = .english) throws {
        try htmlCarriesEveryJSONFigure(html: report.html(language: language), json: report.json(), minimumElements: 50)
    }

    /// Parses `html` as XML and checks its figures against those of `json`.
    static func htmlCarriesEveryJSONFigure(html: String, json: String, minimumElements: Int = 20) throws {
        let parser = XMLParser(data: Data(html.utf8))
        let collector = Collector()
        parser.delegate = collector
        let parsed = parser.parse()
        #expect(parsed, "the HTML is well-formed XML: \(String(describing: parser.parserError))")
        #expect(collector.elements > minimumElements)
        let expected = try jsonFigures(json)
        #expect(!expected.isEmpty)
        #expect(collector.conflicting.isEmpty, "a figure shown twice with different values")
        // A KZT total names each rate it used by reference (`data-rate-ref`) to the report's one
        // list of rates: the rate's figures are those of that list, which the HTML shows.
        var shown = collector.figures
        for (figure, value) in expected {
            let parts = figure.components(separatedBy: ".rates_used.")
            guard parts.count == 2, !parts[0].isEmpty, let dot = parts[1].lastIndex(of: ".") else { continue }
            let key = String(parts[1][..<dot])
            let field = String(parts[1][parts[1].index(after: dot)...])
            guard collector.figures[figure] == nil, collector.rateReferences.contains("\(parts[0]).rates_used.\(key)")
            else { continue }
            #expect(expected["rates_used.\(key).\(field)"] == value, "\(figure) is the report's rate \(key)")
            shown[figure] = collector.figures["rates_used.\(key).\(field)"]
        }
        #expect(
            Set(shown.keys) == Set(expected.keys),
            "only in HTML: \(Set(shown.keys).subtracting(expected.keys).sorted()); only in JSON: \(Set(expected.keys).subtracting(shown.keys).sorted())"
        )
        for (figure, value) in expected {
            #expect(shown[figure] == value, "\(figure)")
        }
        for (figure, value) in collector.chartValues {
            let json = expected[figure]
            #expect(json == value, "chart draws \(figure) as \(value), the JSON says \(json ?? "nothing")")
        }
    }
}
