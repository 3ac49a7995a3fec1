/// The working days of one office, compiled from a ``CalendarFile`` into a bitset of closed days
/// over its years of data; outside them only weekends close the office (and deadlines say so).
///
/// Lookups are a subtraction, a shift and a mask: cheap enough for the engine's hot path.
///
/// ```swift
/// let kz = RuleBook.standard.calendar(id: "KZ")!
/// kz.isClosed(try CivilDate(iso: "2025-03-21"))       // true: Nauryz
/// kz.roll(try CivilDate(iso: "2025-03-21")).date     // 2025-03-26
/// ```
public final class OfficeCalendar: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: the bitsets behind the two pointers are written once in `init` and only read
    // afterwards; the class owns and frees them.
    /// The id rules use, e.g. `KZ`.
    public let id: String
    /// The office.
    public let name: String
    /// First and last year with data.
    public let years: ClosedRange<Int>
    /// The reviewable data this calendar was compiled from.
    public let file: CalendarFile
    /// The office's overrides laid over the file, if any.
    public let overrides: [CalendarOverride]

    @usableFromInline let startDay: Int32
    @usableFromInline let dayCount: Int32
    @usableFromInline let closedBits: UnsafeMutablePointer<UInt64>
    @usableFromInline let unconfirmedBits: UnsafeMutablePointer<UInt64>
    /// Per day of data: the distance to the next open day (bits 0–6) and whether an unconfirmed
    /// closed day lies on the way (bit 7); `0xFF` when the run leaves the data (slow path).
    @usableFromInline let rollTable: UnsafeMutablePointer<UInt8>
    /// Bit `weekday.rawValue - 1` set for weekend days.
    @usableFromInline let weekendMask: UInt8
    private let reasons: [Int32: ClosedDay]
    private let workingDays: [Int32: String]

    /// Why an office is closed on a day.
    public struct ClosedDay: Hashable, Sendable {
        /// What kind of closed day.
        public var kind: Kind
        /// E.g. "Nauryz", "day off for Victory Day on Saturday 2020-05-09".
        public var name: String
        /// The law, decree or notice.
        public var source: String
        /// Whether the source confirms it.
        public var status: CalendarFile.Status

        /// Kinds of closed days.
        public enum Kind: String, Hashable, Sendable {
            case weekend, holiday
            case carriedOver = "carried-over"
            case movedByDecree = "moved-by-decree"
            case closure
            /// Closed by an office's override (a decree or notice entered in the database).
            case override
        }
    }

    /// The outcome of rolling a date forward past closed days.
    public struct Roll: Hashable, Sendable {
        /// The first open day on or after the date.
        public var date: CivilDate
        /// Whether a closed day that is still unconfirmed was skipped.
        public var skippedUnconfirmed: Bool
        /// Whether the date lies outside the calendar's years of data (weekends only).
        public var outsideData: Bool

        @usableFromInline
        init(date: CivilDate, skippedUnconfirmed: Bool, outsideData: Bool) {
            self.date = date
            self.skippedUnconfirmed = skippedUnconfirmed
            self.outsideData = outsideData
        }
    }

    /// Compiles a calendar file, with an office's overrides laid over it (last: an override
    /// closes or opens its day whatever the file says).
    /// - Throws: ``RuleBook/LoadError`` when the file is inconsistent (bad `MM-DD`, years), or an
    ///   override is for another calendar or outside the file's years.
    public init(file: CalendarFile, overrides: [CalendarOverride] = []) throws(RuleBook.LoadError) {
        guard file.firstYear >= 1900, file.lastYear >= file.firstYear, file.lastYear <= 2200 else {
            throw RuleBook.LoadError(file: "calendars/\(file.id).json", message: "first_year/last_year out of range")
        }
        id = file.id
        name = file.name
        years = file.firstYear...file.lastYear
        self.file = file
        var mask: UInt8 = 0
        for day in file.weekend { mask |= 1 << UInt8(day.weekday.rawValue - 1) }
        weekendMask = mask
        let start = CivilDate.firstOfYear(file.firstYear)
        let end = CivilDate.firstOfYear(file.lastYear + 1)
        startDay = start.daysSinceEpoch
        dayCount = end.daysSinceEpoch - start.daysSinceEpoch

        var compiler = Compiler(file: file, weekendMask: mask)
        var compiled = try compiler.compile()
        for override in overrides {
            guard override.calendar == file.id, years.contains(override.day.components.year) else {
                throw RuleBook.LoadError(
                    file: "calendar overrides",
                    message: "\(override.calendar) \(override.day) is not a day of the \(file.id) calendar "
                        + "\(file.firstYear)–\(file.lastYear)")
            }
            let day = override.day.daysSinceEpoch
            switch override.kind {
            case .closed:
                compiled.reasons[day] = ClosedDay(
                    kind: .override, name: "closed", source: override.source, status: .confirmed)
                compiled.workingDays[day] = nil
            case .working:
                compiled.reasons[day] = nil
                compiled.workingDays[day] = override.source
            }
        }
        self.overrides = overrides
        reasons = compiled.reasons
        workingDays = compiled.workingDays
        var closed = [UInt64](repeating: 0, count: Int(dayCount + 63) / 64)
        var unconfirmed = closed
        for offset in 0..<Int(dayCount) {
            let day = startDay + Int32(offset)
            let isClosed: Bool
            if let reason = compiled.reasons[day] {
                isClosed = true
                if reason.status == .unconfirmed { unconfirmed[offset >> 6] |= 1 << UInt64(offset & 63) }
            } else {
                isClosed = compiled.workingDays[day] == nil && OfficeCalendar.isWeekend(day, mask: mask)
            }
            if isClosed { closed[offset >> 6] |= 1 << UInt64(offset & 63) }
        }
        closedBits = .allocate(capacity: closed.count)
        closedBits.initialize(from: closed, count: closed.count)
        unconfirmedBits = .allocate(capacity: unconfirmed.count)
        unconfirmedBits.initialize(from: unconfirmed, count: unconfirmed.count)
        let days = Int(dayCount)
        rollTable = .allocate(capacity: max(days, 1))
        var next: UInt8 = 0xFF
        for offset in stride(from: days - 1, through: 0, by: -1) {
            let closed = closed[offset >> 6] >> UInt64(offset & 63) & 1 != 0
            let doubtful = unconfirmed[offset >> 6] >> UInt64(offset & 63) & 1 != 0
            let entry: UInt8
            if !closed {
                entry = 0
            } else if next == 0xFF || next & 0x7F >= 0x7E {
                entry = 0xFF
            } else {
                entry = ((next & 0x7F) + 1) | (next & 0x80) | (doubtful ? 0x80 : 0)
            }
            rollTable[offset] = entry
            next = entry
        }
    }

    deinit {
        closedBits.deallocate()
        unconfirmedBits.deallocate()
        rollTable.deallocate()
    }

    /// Whether the office is closed on `date`.
    @inlinable
    public func isClosed(_ date: CivilDate) -> Bool {
        let offset = date.daysSinceEpoch &- startDay
        if offset >= 0 && offset < dayCount {
            return closedBits[Int(offset >> 6)] &>> UInt64(offset & 63) & 1 != 0
        }
        return OfficeCalendar.isWeekend(date.daysSinceEpoch, mask: weekendMask)
    }

    /// Whether `date` lies within the years of data.
    @inlinable
    public func covers(_ date: CivilDate) -> Bool {
        let offset = date.daysSinceEpoch &- startDay
        return offset >= 0 && offset < dayCount
    }

    /// The first open day on or after `date`, with whether unconfirmed closed days were skipped.
    @inlinable @inline(__always)
    public func roll(_ date: CivilDate) -> Roll {
        let start = date.daysSinceEpoch &- startDay
        if start >= 0 && start < dayCount {
            let entry = rollTable[Int(start)]
            if entry != 0xFF {
                return Roll(
                    date: CivilDate(daysSinceEpoch: date.daysSinceEpoch &+ Int32(entry & 0x7F)),
                    skippedUnconfirmed: entry & 0x80 != 0, outsideData: false)
            }
        }
        if start >= dayCount {
            // Beyond the data: weekends only, stepping the weekday without a division per day.
            var day = date.daysSinceEpoch
            var index = UInt32(bitPattern: day &+ 700_003) % 7
            while weekendMask &>> UInt8(truncatingIfNeeded: index) & 1 != 0 {
                day &+= 1
                index = index == 6 ? 0 : index &+ 1
            }
            return Roll(date: CivilDate(daysSinceEpoch: day), skippedUnconfirmed: false, outsideData: true)
        }
        var day = date.daysSinceEpoch
        var unconfirmed = false
        var outside = false
        while true {
            let offset = day &- startDay
            if offset >= 0 && offset < dayCount {
                let word = Int(offset >> 6)
                let bit = UInt64(offset & 63)
                guard closedBits[word] &>> bit & 1 != 0 else { break }
                if unconfirmedBits[word] &>> bit & 1 != 0 { unconfirmed = true }
            } else {
                outside = true
                guard OfficeCalendar.isWeekend(day, mask: weekendMask) else { break }
            }
            day += 1
        }
        return Roll(date: CivilDate(daysSinceEpoch: day), skippedUnconfirmed: unconfirmed, outsideData: outside)
    }

    /// Why the office is closed on `date`, or `nil` when it is open.
    public func closedDay(_ date: CivilDate) -> ClosedDay? {
        guard isClosed(date) else { return nil }
        if let reason = reasons[date.daysSinceEpoch] { return reason }
        return ClosedDay(
            kind: .weekend, name: date.weekday.name, source: file.weekendSource, status: .confirmed)
    }

    /// The decree that makes a weekend day a working day, if any.
    public func workingDaySource(_ date: CivilDate) -> String? {
        workingDays[date.daysSinceEpoch]
    }

    /// Every closed day of a year, in order.
    public func closedDays(in year: Int) -> [CivilDate] {
        let first = CivilDate.firstOfYear(year).daysSinceEpoch
        let last = CivilDate.firstOfYear(year + 1).daysSinceEpoch
        return (first..<last).map { CivilDate(daysSinceEpoch: $0) }.filter(isClosed)
    }

    /// E.g. "KZ calendar (National Institute of Intellectual Property), 2015–2030".
    public var description: String { "\(id) calendar (\(name)), \(years.lowerBound)–\(years.upperBound)" }

    /// A calendar with weekends only, for offices without data.
    public static func weekendsOnly(id: String) -> OfficeCalendar {
        let file = CalendarFile(
            id: id, name: "no calendar data: Saturdays and Sundays only", firstYear: 2000, lastYear: 2000,
            weekend: [.saturday, .sunday], weekendSource: "assumed five-day week",
            weekendCarry: .init(rule: .none, source: "none"), fixed: [], nthWeekday: nil, easter: nil, dates: [],
            transfers: [], notes: nil, pythonHolidays: nil)
        // A valid file by construction.
        return try! OfficeCalendar(file: file)
    }

    @inlinable
    static func isWeekend(_ day: Int32, mask: UInt8) -> Bool {
        // 1970-01-01 was a Thursday (index 3, Monday = 0); unsigned modulo of a shifted day
        // (valid for any date after 0053 BC) is a multiply, not a division.
        let index = UInt32(bitPattern: day &+ 700_003) % 7
        return mask &>> UInt8(truncatingIfNeeded: index) & 1 != 0
    }
}

/// Builds the closed days of a calendar file: holidays, carry-over, decree moves, closures.
private struct Compiler {
    let file: CalendarFile
    let weekendMask: UInt8
    var reasons: [Int32: OfficeCalendar.ClosedDay] = [:]
    var workingDays: [Int32: String] = [:]
    /// Holidays with whether a weekend occurrence is carried over.
    var holidays: [Int32: (day: OfficeCalendar.ClosedDay, carry: Bool)] = [:]

    init(file: CalendarFile, weekendMask: UInt8) {
        self.file = file
        self.weekendMask = weekendMask
    }

    var path: String { "calendars/\(file.id).json" }

    func isWeekend(_ day: Int32) -> Bool { OfficeCalendar.isWeekend(day, mask: weekendMask) }

    mutating func addHoliday(
        _ date: CivilDate, _ name: String, _ source: String, _ status: CalendarFile.Status, carry: Bool
    ) {
        let day = OfficeCalendar.ClosedDay(kind: .holiday, name: name, source: source, status: status)
        if let existing = holidays[date.daysSinceEpoch] {
            // Two holidays on one day: keep the first name, carry if either carries.
            holidays[date.daysSinceEpoch] = (existing.day, existing.carry || carry)
        } else {
            holidays[date.daysSinceEpoch] = (day, carry)
        }
    }

    func monthDay(_ text: String) throws(RuleBook.LoadError) -> (Int, Int) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let month = Int(parts[0]), let day = Int(parts[1]), (1...12).contains(month),
            day >= 1, day <= CivilDate.daysInMonth(year: 2024, month: month)
        else { throw RuleBook.LoadError(file: path, message: "'\(text)' is not MM-DD") }
        return (month, day)
    }

    mutating func compile() throws(RuleBook.LoadError) -> (
        reasons: [Int32: OfficeCalendar.ClosedDay], workingDays: [Int32: String]
    ) {
        // Holidays of the years in range, and of the neighbouring years whose carry-over or
        // observance may cross into the range (31 Dec observed for a Saturday 1 Jan).
        let yearRange = (file.firstYear - 1)...(file.lastYear + 1)
        for entry in file.fixed {
            let (month, day) = try monthDay(entry.date)
            let (throughMonth, throughDay) =
                try entry.through.map { (text) throws(RuleBook.LoadError) in try monthDay(text) } ?? (month, day)
            for year in yearRange where year >= (entry.from ?? file.firstYear) && year <= (entry.to ?? file.lastYear) {
                guard day <= CivilDate.daysInMonth(year: year, month: month) else { continue }
                let status: CalendarFile.Status =
                    entry.status == .unconfirmed || (entry.confirmedYears.map { !$0.contains(year) } ?? false)
                    ? .unconfirmed : .confirmed
                var date = try! CivilDate(year: year, month: month, day: day)
                let last = try! CivilDate(year: year, month: throughMonth, day: throughDay)
                while date <= last {
                    addHoliday(date, entry.name, entry.source, status, carry: entry.carry ?? true)
                    date = date.adding(days: 1)
                }
            }
        }
        for entry in file.nthWeekday ?? [] {
            guard (1...12).contains(entry.month), entry.nth == -1 || (1...5).contains(entry.nth) else {
                throw RuleBook.LoadError(file: path, message: "nth_weekday '\(entry.name)' has a bad month or nth")
            }
            for year in yearRange where year >= (entry.from ?? file.firstYear) && year <= (entry.to ?? file.lastYear) {
                let date = Compiler.nthWeekday(
                    year: year, month: entry.month, weekday: entry.weekday.weekday, nth: entry.nth)
                addHoliday(date, entry.name, entry.source, .confirmed, carry: true)
            }
        }
        for entry in file.easter ?? [] {
            for year in yearRange where year >= (entry.from ?? file.firstYear) && year <= (entry.to ?? file.lastYear) {
                let status: CalendarFile.Status =
                    entry.status == .unconfirmed || (entry.confirmedYears.map { !$0.contains(year) } ?? false)
                    ? .unconfirmed : .confirmed
                addHoliday(
                    Compiler.easterSunday(year).adding(days: entry.offset), entry.name, entry.source, status,
                    carry: false)
            }
        }
        for entry in file.dates {
            var date = entry.date
            let last = entry.through ?? entry.date
            guard last >= date else {
                throw RuleBook.LoadError(file: path, message: "'\(entry.name)' ends before it starts")
            }
            while date <= last {
                addHoliday(date, entry.name, entry.source, entry.status ?? .confirmed, carry: entry.carry ?? false)
                date = date.adding(days: 1)
            }
        }
        for (day, holiday) in holidays { reasons[day] = holiday.day }

        // Decree moves: a holiday named as `instead_of` is not carried over again; any other
        // `instead_of` day becomes a working day.
        var suppressedCarry: Set<Int32> = []
        var moves: [(off: CivilDate, insteadOf: CivilDate, source: String, status: CalendarFile.Status)] = []
        for transfer in file.transfers {
            for move in transfer.moves {
                guard move.off.year == transfer.year || move.insteadOf.year == transfer.year else {
                    throw RuleBook.LoadError(
                        file: path, message: "transfer of \(transfer.year) moves \(move.off), another year")
                }
                moves.append((move.off, move.insteadOf, transfer.source, transfer.status ?? .confirmed))
                if holidays[move.insteadOf.daysSinceEpoch] != nil {
                    suppressedCarry.insert(move.insteadOf.daysSinceEpoch)
                }
            }
        }

        // Carry-over of holidays on weekend days.
        switch file.weekendCarry.rule {
        case .none:
            break
        case .nextWorkingDay:
            var carried: Set<Int32> = []
            for day in holidays.keys.sorted() {
                guard let holiday = holidays[day], holiday.carry, isWeekend(day), !suppressedCarry.contains(day) else {
                    continue
                }
                var target = day + 1
                while isWeekend(target) || holidays[target] != nil || carried.contains(target) { target += 1 }
                carried.insert(target)
                let on = CivilDate(daysSinceEpoch: day)
                reasons[target] = .init(
                    kind: .carriedOver, name: "day off for \(holiday.day.name) on \(on.weekday.name) \(on)",
                    source: file.weekendCarry.source, status: holiday.day.status)
            }
        case .usFederal:
            for day in holidays.keys.sorted() {
                guard let holiday = holidays[day], holiday.carry, isWeekend(day), !suppressedCarry.contains(day) else {
                    continue
                }
                let on = CivilDate(daysSinceEpoch: day)
                let target: Int32
                switch on.weekday {
                case .saturday: target = day - 1
                case .sunday: target = day + 1
                case .monday, .tuesday, .wednesday, .thursday, .friday: continue
                }
                guard reasons[target] == nil else { continue }
                reasons[target] = .init(
                    kind: .carriedOver, name: "\(holiday.day.name) observed (falls on \(on.weekday.name) \(on))",
                    source: file.weekendCarry.source, status: holiday.day.status)
            }
        }

        for move in moves {
            reasons[move.off.daysSinceEpoch] = .init(
                kind: .movedByDecree, name: "day off moved from \(move.insteadOf.weekday.name) \(move.insteadOf)",
                source: move.source, status: move.status)
            if holidays[move.insteadOf.daysSinceEpoch] == nil {
                reasons[move.insteadOf.daysSinceEpoch] = nil
                workingDays[move.insteadOf.daysSinceEpoch] = move.source
            }
        }
        return (reasons, workingDays)
    }

    /// The n-th (or last when `nth == -1`) given weekday of a month.
    static func nthWeekday(year: Int, month: Int, weekday: Weekday, nth: Int) -> CivilDate {
        if nth == -1 {
            var date = try! CivilDate(year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month))
            while date.weekday != weekday { date = date.adding(days: -1) }
            return date
        }
        var date = try! CivilDate(year: year, month: month, day: 1)
        while date.weekday != weekday { date = date.adding(days: 1) }
        return date.adding(days: 7 * (nth - 1))
    }

    /// Western Easter Sunday (anonymous Gregorian algorithm).
    static func easterSunday(_ year: Int) -> CivilDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return try! CivilDate(year: year, month: month, day: day)
    }
}
