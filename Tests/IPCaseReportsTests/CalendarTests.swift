import Foundation
import IPCase
import IPCaseReports
import IPCaseTestSupport
import Testing

@Suite("Calendar feed (ICS)")
struct CalendarTests {
    /// 2026-03-02T06:30:15Z.
    static let stamp = Date(timeIntervalSince1970: 1_772_433_015)

    /// Text that exercises every escape, folding inside multi-byte characters, and a long line.
    static let awkwardTitle =
        "Сорбент; катализатор, и \\ способ — 高效催化剂 🌱 " + String(repeating: "длинное название ", count: 6)

    static func feedEntries() -> [DocketEntry] {
        var entries = DocketFilter(asOf: SampleDocket.asOf).apply(SampleDocket.entries)
        entries[0].title = awkwardTitle
        entries[0].explanation = "line one\nline two, with; all \\ escapes"
        return entries
    }

    @Test func everyLineEndsInCRLFAndFitsIn75OctetsWithoutSplittingCharacters() throws {
        // Titles of escapes only, at both parities, so some fold falls where an escape begins.
        var entries = Self.feedEntries()
        for (offset, prefix) in ["", "x"].enumerated() {
            var commas = entries[1]
            commas.key += "-\(offset)"
            commas.title = prefix + String(repeating: ",", count: 120)
            entries.append(commas)
        }
        let text = DocketCalendar(stamp: Self.stamp).render(entries)
        let bytes = Array(text.utf8)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        // No bare LF or CR.
        for (index, byte) in bytes.enumerated() where byte == 10 {
            #expect(index > 0 && bytes[index - 1] == 13)
        }
        for (index, byte) in bytes.enumerated() where byte == 13 {
            #expect(index + 1 < bytes.count && bytes[index + 1] == 10)
        }
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 10 {
            lines.append(bytes[start..<(index - 1)])
            start = index + 1
        }
        #expect(lines.contains { $0.count == 75 }, "long lines are folded at exactly 75 octets")
        for (line, next) in zip(lines, lines.dropFirst()) where next.first == 32 {
            let trailingBackslashes = line.reversed().prefix { $0 == 92 }.count
            #expect(trailingBackslashes % 2 == 0, "a fold never splits an escape such as \\, or \\n")
        }
        for line in lines {
            #expect(line.count <= 75)
            #expect(String(validating: line, as: UTF8.self) != nil, "a folded line splits no UTF-8 sequence")
        }
    }

    @Test func textIsEscapedPerRFC5545() throws {
        let text = DocketCalendar(stamp: Self.stamp, alarms: []).render([SampleDocket.entries[1]])
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(
            unfolded.contains("SUMMARY:Due: national phase — WO PCT/KZ2024/050001 — Catalyst\\, process\\; and use\r\n")
        )
        #expect(unfolded.contains("DESCRIPTION:Due: 2026-03-05 (final 2026-09-05)\\nRight: WO PCT/KZ2024/050001"))
    }

    @Test func anObligationIsDescribedByItsAgreementNotAsARight() throws {
        var entry = SampleDocket.entries[1]
        entry.jurisdiction = nil
        entry.rightKind = nil
        entry.rightReference = "LIC-2026-004"
        entry.type = "royalty_report"
        let description = DocketCalendar(stamp: Self.stamp).description(for: entry)
        #expect(description.contains("Agreement: LIC-2026-004"))
        #expect(!description.contains("Right:"))
    }

    @Test(
        "Alarm offsets are RFC 5545 durations",
        arguments: [
            (DocketCalendar.Alarm.daysBefore(7), "-P7D"),
            (.daysBefore(30), "-P30D"),
            (.daysBefore(0), "PT0S"),
            (.onTheDay(hour: 9), "PT9H"),
            (.onTheDay(hour: 9, minute: 30), "PT9H30M"),
            (DocketCalendar.Alarm(minutesFromStart: -(36 * 60)), "-P1DT12H"),
        ])
    func alarmDurations(alarm: DocketCalendar.Alarm, text: String) {
        #expect(alarm.description == text)
    }

    @Test func outputIsDeterministicAndUIDsDependOnlyOnTheKey() throws {
        let calendar = DocketCalendar(stamp: Self.stamp)
        let entries = Self.feedEntries()
        #expect(calendar.render(entries) == calendar.render(entries))
        #expect(calendar.render(entries).contains("DTSTAMP:20260302T063015Z\r\n"))
        // Recomputed with new dates, a new status and another order: the same UIDs.
        var changed = entries.reversed().map { entry -> DocketEntry in
            var copy = entry
            copy.due = copy.due.adding(days: 1)
            copy.revision += 1
            return copy
        }
        changed[0].status = .done
        func uids(_ text: String) -> Set<String> {
            Set(text.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") })
        }
        #expect(uids(calendar.render(entries)) == uids(calendar.render(changed)))
        #expect(uids(calendar.render(entries)).count == entries.count)
        #expect(calendar.uid(for: entries[0]) == "deadline-o1_r10_KZ.annuity_filed-2023-03-14_y4@ipcase")
        var odd = entries[0]
        odd.key = "a key/with spaces@and+signs"
        #expect(calendar.uid(for: odd) == "deadline-a%20key%2Fwith%20spaces%40and%2Bsigns@ipcase")
    }

    @Test func pythonIcalendarParsesTheFeedWithItsEventsDatesAlarmsAndText() async throws {
        let entries = Self.feedEntries()
        let calendar = DocketCalendar(
            name: "Docket; Seitkali, Ospanov", stamp: Self.stamp, alarms: [.daysBefore(7), .onTheDay(hour: 9)],
            includeFinalDates: true)
        let text = calendar.render(entries)
        let file = try Python.temporaryFile(text, suffix: ".ics")
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys, datetime
            import icalendar
            with open(sys.argv[1], 'rb') as f:
                cal = icalendar.Calendar.from_ical(f.read())
            events = []
            for ev in cal.walk('VEVENT'):
                alarms = []
                for al in ev.walk('VALARM'):
                    alarms.append({'action': str(al.get('action')),
                                   'seconds': int(al.get('trigger').dt.total_seconds()),
                                   'description': str(al.get('description'))})
                start = ev.get('dtstart').dt
                end = ev.get('dtend').dt
                events.append({
                    'uid': str(ev.get('uid')),
                    'start': start.isoformat(), 'start_is_date': not isinstance(start, datetime.datetime),
                    'end': end.isoformat(),
                    'stamp': ev.get('dtstamp').dt.isoformat(),
                    'summary': str(ev.get('summary')),
                    'description': str(ev.get('description')),
                    'status': str(ev.get('status')),
                    'sequence': int(ev.get('sequence')),
                    'alarms': alarms,
                })
            # X- and RFC 7986 properties are TEXT, which this parser leaves raw: read the raw value
            # through a property it knows as TEXT.
            def text(value):
                raw = value.to_ical().decode()
                probe = icalendar.Event.from_ical('BEGIN:VEVENT\\r\\nSUMMARY:' + raw + '\\r\\nEND:VEVENT\\r\\n')
                return str(probe.get('summary'))
            print(json.dumps({'name': text(cal.get('x-wr-calname')), 'name7986': text(cal.get('name')), 'version': str(cal.get('version')),
                              'prodid': str(cal.get('prodid')), 'events': events}, ensure_ascii=False))
            """
        let output = try await Python.script(script, arguments: [file.path], packages: ["icalendar"])
        let parsed = try #require(try jsonObject(output) as? [String: Any])
        #expect(parsed["name"] as? String == "Docket; Seitkali, Ospanov")
        #expect(parsed["name7986"] as? String == "Docket; Seitkali, Ospanov")
        #expect(parsed["version"] as? String == "2.0")
        let events = try #require(parsed["events"] as? [[String: Any]])
        let withFinal = entries.filter { $0.final != nil && $0.final != $0.due }
        #expect(events.count == entries.count + withFinal.count)

        for entry in entries {
            let uid = calendar.uid(for: entry)
            let event = try #require(events.first { $0["uid"] as? String == uid }, "event \(uid)")
            #expect(event["start"] as? String == entry.due.description)
            #expect(event["start_is_date"] as? Bool == true)
            #expect(event["end"] as? String == entry.due.adding(days: 1).description)
            #expect(event["stamp"] as? String == "2026-03-02T06:30:15+00:00")
            #expect(event["summary"] as? String == calendar.summary(for: entry))
            #expect(event["description"] as? String == calendar.description(for: entry))
            let alarms = try #require(event["alarms"] as? [[String: Any]])
            if entry.status == .open {
                #expect(alarms.map { $0["seconds"] as? Int } == [-7 * 86_400, 9 * 3600])
                #expect(alarms.allSatisfy { $0["action"] as? String == "DISPLAY" })
            } else {
                #expect(alarms.isEmpty)
            }
            switch entry.status {
            case .waived, .superseded: #expect(event["status"] as? String == "CANCELLED")
            case .open, .done, .missed: #expect(event["status"] as? String == "CONFIRMED")
            }
        }
        for entry in withFinal {
            let event = try #require(events.first { $0["uid"] as? String == calendar.finalUID(for: entry) })
            #expect(event["start"] as? String == entry.final?.description)
        }
        // The awkward title survives escaping and folding intact.
        let first = try #require(events.first { $0["uid"] as? String == calendar.uid(for: entries[0]) })
        #expect((first["summary"] as? String)?.contains(Self.awkwardTitle.trimmingCharacters(in: .whitespaces)) == true)
        #expect((first["description"] as? String)?.contains("Why: line one\nline two, with; all \\ escapes") == true)
    }
}
