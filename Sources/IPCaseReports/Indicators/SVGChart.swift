import Foundation

/// Inline SVG charts drawn from integer figures; the markup is XHTML-compatible (well-formed
/// XML, SVG namespace), with no scripts and no external resources. Every bar or slice carries
/// `data-chart-figure` (the JSON figure it draws) and `data-chart-value`.
enum SVGChart {
    /// One bar or slice.
    struct Item {
        /// The label shown.
        var label: String
        /// The value drawn (a count or minor units).
        var value: Int64
        /// The value as shown, e.g. `3` or `1 500.00 KZT`.
        var display: String
        /// The JSON figure path it draws; `nil` for a derived value (e.g. "not green").
        var figure: String?
    }

    static let palette = ["#2f6f9f", "#e07b39", "#4f9a56", "#c0504d", "#8064a2", "#4bacc6", "#9a8b3a", "#7f7f7f"]

    /// A horizontal bar chart, one row per item; bars scale to the largest value.
    static func bars(title: String, items: [Item], _ t: Localizer = Localizer(.english)) -> String {
        let rowHeight = 24
        let labelWidth = 290
        let barWidth = 260
        let width = labelWidth + barWidth + 150
        let height = 30 + rowHeight * max(1, items.count)
        let largest = max(1, items.map(\.value).max() ?? 1)
        var svg = open(width: width, height: height, title: title)
        svg += "<text x=\"0\" y=\"16\" class=\"chart-title\">\(TextEscaping.xml(title))</text>"
        if items.isEmpty {
            svg += "<text x=\"0\" y=\"44\" class=\"chart-empty\">\(TextEscaping.xml(t("chart.no-data")))</text>"
        }
        for (index, item) in items.enumerated() {
            let y = 28 + index * rowHeight
            let length = item.value <= 0 ? 0 : max(1, Int(item.value * Int64(barWidth) / largest))
            let label = TextEscaping.truncated(item.label, toColumns: 44)
            svg += "<text x=\"0\" y=\"\(y + 15)\" class=\"chart-label\">\(TextEscaping.xml(label))</text>"
            svg +=
                "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"\(rowHeight - 8)\" "
                + "fill=\"\(palette[index % palette.count])\"\(figureAttribute(item)) "
                + "data-chart-value=\"\(item.value)\"><title>\(TextEscaping.xml(item.label)): \(TextEscaping.xml(item.display))</title></rect>"
            svg +=
                "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\" class=\"chart-value\">\(TextEscaping.xml(item.display))</text>"
        }
        return svg + "</svg>"
    }

    /// A pie chart with a legend; items with zero value get no slice but stay in the legend.
    static func pie(title: String, items: [Item], _ t: Localizer = Localizer(.english)) -> String {
        let radius = 80.0
        let center = (x: 90.0, y: 110.0)
        let height = max(210, 40 + 22 * items.count)
        var svg = open(width: 520, height: height, title: title)
        svg += "<text x=\"0\" y=\"16\" class=\"chart-title\">\(TextEscaping.xml(title))</text>"
        let total = items.reduce(Int64(0)) { $0 + max(0, $1.value) }
        if total == 0 {
            svg +=
                "<circle cx=\"\(number(center.x))\" cy=\"\(number(center.y))\" r=\"\(number(radius))\" class=\"pie-empty\"/>"
            svg +=
                "<text x=\"\(number(center.x - 24))\" y=\"\(number(center.y + 4))\" class=\"chart-empty\">\(TextEscaping.xml(t("chart.no-data")))</text>"
        }
        var start = 0.0
        for (index, item) in items.enumerated() where item.value > 0 && total > 0 {
            let color = palette[index % palette.count]
            let attributes =
                "fill=\"\(color)\"\(figureAttribute(item)) data-chart-value=\"\(item.value)\""
            let tooltip = "<title>\(TextEscaping.xml(item.label)): \(TextEscaping.xml(item.display))</title>"
            if item.value == total {
                svg +=
                    "<circle cx=\"\(number(center.x))\" cy=\"\(number(center.y))\" r=\"\(number(radius))\" \(attributes)>\(tooltip)</circle>"
                continue
            }
            let sweep = Double(item.value) / Double(total) * 2 * Double.pi
            let end = start + sweep
            let x1 = center.x + radius * sin(start)
            let y1 = center.y - radius * cos(start)
            let x2 = center.x + radius * sin(end)
            let y2 = center.y - radius * cos(end)
            let large = sweep > Double.pi ? 1 : 0
            svg +=
                "<path d=\"M \(number(center.x)) \(number(center.y)) L \(number(x1)) \(number(y1)) "
                + "A \(number(radius)) \(number(radius)) 0 \(large) 1 \(number(x2)) \(number(y2)) Z\" \(attributes)>\(tooltip)</path>"
            start = end
        }
        for (index, item) in items.enumerated() {
            let y = 34 + index * 22
            svg += "<rect x=\"200\" y=\"\(y)\" width=\"14\" height=\"14\" fill=\"\(palette[index % palette.count])\"/>"
            svg +=
                "<text x=\"220\" y=\"\(y + 12)\" class=\"chart-label\">\(TextEscaping.xml(item.label)): \(TextEscaping.xml(item.display))</text>"
        }
        return svg + "</svg>"
    }

    private static func figureAttribute(_ item: Item) -> String {
        item.figure.map { " data-chart-figure=\"\(TextEscaping.xml($0))\"" } ?? ""
    }

    private static func open(width: Int, height: Int, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(TextEscaping.xml(title))\">"
    }

    /// A coordinate with at most two decimals, e.g. `90`, `12.5`, `-3.07`.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(magnitude / 100)" }
        return "\(sign)\(magnitude / 100)." + (fraction < 10 ? "0\(fraction)" : "\(fraction)")
    }
}
