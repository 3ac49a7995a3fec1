import Foundation
import IPCase

/// Renders a docket as an iCalendar feed (RFC 5545) that calendar clients can subscribe to.
///
/// - One all-day `VEVENT` per deadline on its due date (`DTSTART;VALUE=DATE`, `DTEND` the next
///   day), optionally a second one on its final date (end of grace or extension).
/// - `UID` is derived from the deadline's key only (``uid(for:)``), so every run names the same
///   deadline the same way and clients update events instead of duplicating them; `SEQUENCE`
///   is the entry's revision.
/// - `DTSTAMP` is the given `stamp`, not the wall clock, so equal input gives byte-equal output.
/// - Open deadlines carry `VALARM` reminders (`ACTION:DISPLAY`, `TRIGGER:-P7D` …); done ones
///   are marked in the summary; waived and superseded ones are `STATUS:CANCELLED`.
/// - Text is escaped (`\\ \; \, \n`), lines are folded at 75 octets without splitting a UTF-8
///   sequence, and every line ends in CRLF.
///
/// ```swift
/// let feed = DocketCalendar(name: "Docket — A. Seitkali", stamp: Date(timeIntervalSince1970: 1_767_225_600))
/// let text = feed.render(entries)   // "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…"
/// ```
public struct DocketCalendar: Hashable, Sendable {
    /// A reminder before (or after) the start of an all-day event, which is midnight of its day.
    public struct Alarm: Hashable, Sendable, CustomStringConvertible {
        /// Minutes from the event's start; negative is before.
        public let minutesFromStart: Int

        /// A reminder `days` days before the day (at midnight starting that day).
        public static func daysBefore(_ days: Int) -> Alarm { Alarm(minutesFromStart: -days * 1440) }

        /// A reminder on the day itself at `hour`:`minute` (floating local time of the client).
        public static func onTheDay(hour: Int, minute: Int = 0) -> Alarm {
            Alarm(minutesFromStart: hour * 60 + minute)
        }

        /// A reminder at an offset in minutes from the start of the day.
        public init(minutesFromStart: Int) { self.minutesFromStart = minutesFromStart }

        /// The RFC 5545 duration, e.g. `-P7D`, `-P1DT12H`, `PT9H`, `PT0S`.
        public var description: String {
            let magnitude = abs(minutesFromStart)
            guard magnitude > 0 else { return "PT0S" }
            let days = magnitude / 1440
            let hours = magnitude % 1440 / 60
            let minutes = magnitude % 60
            var text = minutesFromStart < 0 ? "-P" : "P"
            if days > 0 { text += "\(days)D" }
            if hours > 0 || minutes > 0 {
                text += "T"
                if hours > 0 { text += "\(hours)H" }
                if minutes > 0 { text += "\(minutes)M" }
            }
            return text
        }
    }

    /// The calendar's display name (`NAME` of RFC 7986 and the widely read `X-WR-CALNAME`).
    public var name: String
    /// The moment the feed is stamped with (`DTSTAMP` of every event), in UTC.
    public var stamp: Date
    /// Reminders on open deadlines.
    public var alarms: [Alarm]
    /// The domain part of UIDs (`deadline-<key>@<domain>`).
    public var uidDomain: String
    /// Whether to add an event on the final date of deadlines that have one.
    public var includeFinalDates: Bool

    /// Creates a feed; by default reminders 30, 7 and 1 day(s) before, no final-date events.
    public init(
        name: String = "IPCase deadlines", stamp: Date,
        alarms: [Alarm] = [.daysBefore(30), .daysBefore(7), .daysBefore(1)], uidDomain: String = "ipcase",
        includeFinalDates: Bool = false
    ) {
        self.name = name
        self.stamp = stamp
        self.alarms = alarms
        self.uidDomain = uidDomain
        self.includeFinalDates = includeFinalDates
    }

    /// The event UID of a deadline: `deadline-<key>@<domain>`, the key's bytes outside
    /// `A–Z a–z 0–9 . - _` percent-encoded. Depends on nothing but the key.
    public func uid(for entry: DocketEntry) -> String {
        "deadline-\(DocketEntry.safeKeyPart(entry.key, keeping: [95]))@\(uidDomain)"
    }

    /// The UID of the final-date event: `deadline-<key>-final@<domain>`.
    public func finalUID(for entry: DocketEntry) -> String {
        "deadline-\(DocketEntry.safeKeyPart(entry.key, keeping: [95]))-final@\(uidDomain)"
    }

    /// The whole `VCALENDAR` with one event per entry (two with final dates), in the given order.
    public func render(_ entries: [DocketEntry]) -> String {
        var out = ICSWriter()
        out.line("BEGIN:VCALENDAR")
        out.line("VERSION:2.0")
        out.line("PRODID:-//IPCase//IPCase deadlines//EN")
        out.line("CALSCALE:GREGORIAN")
        out.line("METHOD:PUBLISH")
        out.text("NAME", name)
        out.text("X-WR-CALNAME", name)
        let stampText = DocketCalendar.utcText(stamp)
        for entry in entries {
            event(entry, uid: uid(for: entry), on: entry.due, isFinal: false, stamp: stampText, into: &out)
            if includeFinalDates, let final = entry.final, final != entry.due {
                event(entry, uid: finalUID(for: entry), on: final, isFinal: true, stamp: stampText, into: &out)
            }
        }
        out.line("END:VCALENDAR")
        return out.text
    }

    /// The event summary, e.g. `Due: renewal year 5 — EP 23712345.6 — Sorbent`.
    public func summary(for entry: DocketEntry, isFinal: Bool = false) -> String {
        let prefix: String
        switch entry.status {
        case .open: prefix = isFinal ? "Final date" : "Due"
        case .done: prefix = "Done"
        case .waived: prefix = "Waived"
        case .missed: prefix = "MISSED"
        case .superseded: prefix = "Superseded"
        }
        return "\(prefix): \(entry.typeLabel) — \(entry.rightLabel) — \(DocketRenderer.oneLine(entry.title))"
    }

    /// The event description: dates, right, attorney, rule, citation and explanation, one per line.
    public func description(for entry: DocketEntry) -> String {
        var lines = ["Due: \(entry.due)" + (entry.final.map { " (final \($0))" } ?? "")]
        if let opens = entry.windowOpens { lines.append("Window opens: \(opens)") }
        if entry.jurisdiction == nil {
            // A contractual obligation: its subject is the agreement or the funded project.
            let subject = entry.ruleID.hasPrefix("project.") ? "Project" : "Agreement"
            lines.append("\(subject): \(entry.rightReference)")
        } else {
            var right = "Right: \(entry.rightLabel) (\(entry.rightReference))"
            if let kind = entry.rightKind { right += ", \(kind.name)" }
            lines.append(right)
        }
        lines.append("Title: \(entry.title)")
        if let name = entry.attorneyName {
            lines.append("Responsible: \(name)" + (entry.attorneyEmail.map { " <\($0)>" } ?? ""))
        }
        lines.append("Status: \(entry.status.rawValue)" + (entry.statutory ? ", statutory" : ", not statutory"))
        lines.append(
            "Rule: \(entry.ruleID)"
                + (entry.ruleStatus == .unconfirmed ? " (unconfirmed: check the date by hand)" : ""))
        if !entry.citation.isEmpty { lines.append("Citation: \(entry.citation)") }
        if !entry.explanation.isEmpty { lines.append("Why: \(entry.explanation)") }
        if let moved = entry.movedNote { lines.append("Moved: \(moved)") }
        if let id = entry.id {
            lines.append("Deadline ID: \(id)")
            if let by = entry.verifiedBy {
                lines.append("Verified by: \(by)")
            } else if entry.status.isOpen {
                lines.append("Not yet verified by a second person")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func event(
        _ entry: DocketEntry, uid: String, on day: CivilDate, isFinal: Bool, stamp: String, into out: inout ICSWriter
    ) {
        out.line("BEGIN:VEVENT")
        out.text("UID", uid)
        out.line("DTSTAMP:\(stamp)")
        out.line("DTSTART;VALUE=DATE:\(DocketCalendar.dateText(day))")
        out.line("DTEND;VALUE=DATE:\(DocketCalendar.dateText(day.adding(days: 1)))")
        out.line("SEQUENCE:\(max(0, entry.revision))")
        let summary = summary(for: entry, isFinal: isFinal)
        out.text("SUMMARY", summary)
        out.text("DESCRIPTION", description(for: entry))
        out.text("CATEGORIES", entry.type)
        out.line("TRANSP:TRANSPARENT")
        switch entry.status {
        case .open, .done, .missed: out.line("STATUS:CONFIRMED")
        case .waived, .superseded: out.line("STATUS:CANCELLED")
        }
        if entry.status.isOpen {
            for alarm in alarms {
                out.line("BEGIN:VALARM")
                out.line("ACTION:DISPLAY")
                out.line("TRIGGER:\(alarm)")
                out.text("DESCRIPTION", summary)
                out.line("END:VALARM")
            }
        }
        out.line("END:VEVENT")
    }

    /// `YYYYMMDD`.
    static func dateText(_ date: CivilDate) -> String {
        date.description.replacingOccurrences(of: "-", with: "")
    }

    /// `YYYYMMDDTHHMMSSZ` for a moment, in UTC (whole seconds, rounded down).
    static func utcText(_ moment: Date) -> String {
        let seconds = Int64(moment.timeIntervalSince1970.rounded(.down))
        let (days, remainder) = (seconds.floorDivided(by: 86_400), seconds.floorModulo(86_400))
        let date = CivilDate(daysSinceEpoch: Int32(clamping: days))
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return dateText(date) + "T" + two(remainder / 3600) + two(remainder % 3600 / 60) + two(remainder % 60) + "Z"
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}

/// Writes iCalendar content lines: TEXT escaping, folding at 75 octets, CRLF.
struct ICSWriter {
    private(set) var text = ""

    /// Appends a content line, folded.
    mutating func line(_ line: String) {
        text += ICSWriter.fold(line)
    }

    /// Appends `NAME:value` with the value escaped as TEXT.
    mutating func text(_ name: String, _ value: String) {
        line("\(name):\(ICSWriter.escapeText(value))")
    }

    /// TEXT escaping (RFC 5545 §3.3.11): `\` `;` `,` escaped, line breaks (CRLF, CR, LF) as `\n`;
    /// control characters other than tab dropped.
    static func escapeText(_ value: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds a line so no physical line exceeds 75 octets (RFC 5545 §3.1): continuation lines
    /// start with one space; a UTF-8 sequence is never split, nor an escape such as `\,` or `\n`
    /// (unfolding would restore either, but some clients read folded lines less carefully).
    /// Every physical line ends in CRLF.
    static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        var scalars = line.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            var unit = String(Character(scalar))
            if scalar == "\\", let escaped = scalars.next() { unit.unicodeScalars.append(escaped) }
            let size = unit.utf8.count
            if octets + size > 75 {
                out += "\r\n "
                octets = 1
            }
            out += unit
            octets += size
        }
        return out + "\r\n"
    }
}
