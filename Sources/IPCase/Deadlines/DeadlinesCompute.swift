/// The logic of `ipcase deadlines compute`: parse the arguments, run the engine, render a table or
/// JSON. Kept here (pure, no I/O) so tests call exactly what the command runs.
///
/// ```swift
/// let output = try DeadlinesCompute.run(
///     jurisdiction: "KZ", kind: "patent", events: ["filed=2023-03-14", "priority=2022-03-14"], format: "json")
/// ```
public enum DeadlinesCompute {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable {
        case table, json
    }

    /// A parsed request.
    public struct Request: Sendable, Hashable {
        public var jurisdiction: Jurisdiction
        public var kind: RightKind
        public var events: [RightEvent]
        public var format: Format
        /// Also list deadlines already met by an event.
        public var includeClosed: Bool
    }

    /// Bad input, naming the argument: one line for stderr (the command exits with code 2).
    public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The argument, e.g. `--event`.
        public var argument: String
        /// What is wrong with it.
        public var message: String
        /// E.g. "--event 'filed=2023-02-30': '2023-02-30' is not a valid date (YYYY-MM-DD)".
        public var description: String { "\(argument) \(message)" }
    }

    /// Parses, computes and renders; the whole command.
    /// - Throws: ``InputError`` for an unknown jurisdiction, kind, event type or format, or an
    ///   impossible date.
    public static func run(
        jurisdiction: String?, kind: String?, events: [String], format: String?, includeClosed: Bool = false,
        engine: DeadlineEngine = DeadlineEngine()
    ) throws(InputError) -> String {
        let request = try parse(
            jurisdiction: jurisdiction, kind: kind, events: events, format: format, includeClosed: includeClosed,
            book: engine.book)
        return render(compute(request, engine: engine), format: request.format)
    }

    /// Validates the arguments against the rule book.
    public static func parse(
        jurisdiction: String?, kind: String?, events: [String], format: String?, includeClosed: Bool = false,
        book: RuleBook = .standard
    ) throws(InputError) -> Request {
        let known = book.jurisdictions.map(\.code).joined(separator: ", ")
        guard let jurisdictionText = jurisdiction else {
            throw InputError(argument: "--jurisdiction", message: "is missing (one of: \(known))")
        }
        guard let code = Jurisdiction(jurisdictionText), book.hasRules(for: code) else {
            throw InputError(
                argument: "--jurisdiction", message: "'\(jurisdictionText)' has no rules (one of: \(known))")
        }
        let kindsWithRules = RightKind.allCases.filter { !book.rules(jurisdiction: code, kind: $0).isEmpty }
        let kindList = kindsWithRules.map(\.rawValue).joined(separator: ", ")
        guard let kindText = kind else {
            throw InputError(argument: "--kind", message: "is missing (for \(code): \(kindList))")
        }
        guard let rightKind = RightKind(rawValue: kindText.lowercased()) else {
            throw InputError(
                argument: "--kind",
                message:
                    "'\(kindText)' is not a right kind (one of: \(RightKind.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        guard kindsWithRules.contains(rightKind) else {
            throw InputError(
                argument: "--kind", message: "'\(kindText)' has no rules in \(code) (for \(code): \(kindList))")
        }
        var parsed: [RightEvent] = []
        for text in events {
            parsed.append(try parseEvent(text))
        }
        let formatText = format ?? "table"
        guard let outputFormat = Format(rawValue: formatText.lowercased()) else {
            throw InputError(argument: "--format", message: "'\(formatText)' is not a format (table or json)")
        }
        return Request(
            jurisdiction: code, kind: rightKind, events: parsed, format: outputFormat, includeClosed: includeClosed)
    }

    /// Parses `TYPE=YYYY-MM-DD[:DETAIL]`: DETAIL is the fee year of `annuity-paid`, else a reference
    /// (e.g. the office of `national-phase-entered`).
    public static func parseEvent(_ text: String) throws(InputError) -> RightEvent {
        let argument = "--event '\(text)':"
        guard let equals = text.firstIndex(of: "=") else {
            throw InputError(argument: argument, message: "expected TYPE=YYYY-MM-DD, e.g. filed=2023-03-14")
        }
        let typeText = String(text[..<equals])
        guard let kind = RightEventKind(rawValue: typeText.lowercased()) else {
            throw InputError(
                argument: argument,
                message:
                    "'\(typeText)' is not an event type (one of: \(RightEventKind.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        var rest = text[text.index(after: equals)...]
        var detail: Substring?
        if let colon = rest.firstIndex(of: ":") {
            detail = rest[rest.index(after: colon)...]
            rest = rest[..<colon]
        }
        let date: CivilDate
        do {
            date = try CivilDate(iso: rest)
        } catch {
            throw InputError(argument: argument, message: error.description)
        }
        var year: Int?
        var reference: String?
        if let detail {
            if kind == .annuityPaid {
                guard let value = Int(detail), (1...50).contains(value) else {
                    throw InputError(
                        argument: argument, message: "'\(detail)' is not a fee year (e.g. annuity-paid=2026-03-01:4)")
                }
                year = value
            } else {
                guard !detail.isEmpty else {
                    throw InputError(argument: argument, message: "empty reference after ':'")
                }
                reference = String(detail)
            }
        }
        return RightEvent(kind, on: date, year: year, reference: reference)
    }

    /// Runs the engine; open deadlines (and closed ones when asked), ordered by due date.
    public static func compute(_ request: Request, engine: DeadlineEngine = DeadlineEngine()) -> [Deadline] {
        engine.deadlines(jurisdiction: request.jurisdiction, kind: request.kind, events: request.events)
            .filter { request.includeClosed || !$0.isClosed }
            .sorted(by: displayOrder)
    }

    /// Due date, then type, rule id, year and trigger: a total, deterministic order.
    public static func displayOrder(_ lhs: Deadline, _ rhs: Deadline) -> Bool {
        if lhs.due != rhs.due { return lhs.due < rhs.due }
        if lhs.type != rhs.type { return lhs.type.rawValue < rhs.type.rawValue }
        if lhs.ruleID != rhs.ruleID { return lhs.ruleID < rhs.ruleID }
        if lhs.year != rhs.year { return (lhs.year?.halfYears ?? -1) < (rhs.year?.halfYears ?? -1) }
        return lhs.trigger.date < rhs.trigger.date
    }

    /// Renders deadlines in a format.
    public static func render(_ deadlines: [Deadline], format: Format) -> String {
        switch format {
        case .json: json(deadlines)
        case .table: table(deadlines)
        }
    }

    /// `{"deadlines":[{"type","year"?,"rule","nominal","due","final"?,"window_opens"?,"citation","rule_status","explanation"}]}`.
    public static func json(_ deadlines: [Deadline]) -> String {
        var out = "{\"deadlines\":["
        for (index, deadline) in deadlines.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "{\"type\":\(quoted(deadline.type.rawValue))"
            if let year = deadline.year { out += ",\"year\":\(year)" }
            out += ",\"rule\":\(quoted(deadline.ruleID))"
            out += ",\"nominal\":\"\(deadline.nominal)\",\"due\":\"\(deadline.due)\""
            if let final = deadline.final { out += ",\"final\":\"\(final)\"" }
            if let window = deadline.windowOpens { out += ",\"window_opens\":\"\(window)\"" }
            out += ",\"citation\":\(quoted(deadline.citation))"
            out += ",\"rule_status\":\"\(deadline.status.rawValue)\""
            out += ",\"explanation\":\(quoted(deadline.explanation))}"
        }
        out += deadlines.isEmpty ? "]}\n" : "\n]}\n"
        return out
    }

    /// A text table: one row per deadline, its explanation on the next line.
    public static func table(_ deadlines: [Deadline]) -> String {
        guard !deadlines.isEmpty else { return "No deadlines.\n" }
        let header = ["DUE", "TYPE", "YEAR", "NOMINAL", "FINAL", "WINDOW", "RULE", "STATUS"]
        let rows = deadlines.map { deadline in
            [
                deadline.due.description, deadline.type.rawValue, deadline.year?.description ?? "-",
                deadline.nominal.description, deadline.final?.description ?? "-",
                deadline.windowOpens?.description ?? "-", deadline.ruleID,
                deadline.status.rawValue + (deadline.closedBy.map { ", met \($0.date)" } ?? ""),
            ]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }
        var out = line(header) + "\n"
        for (row, deadline) in zip(rows, deadlines) {
            out += line(row) + "\n"
            out += "    " + deadline.explanation + "\n"
        }
        return out
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
