import ArgumentParser
import IPCase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ipcase-bench`: performance measurements of IPCase components.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipcase-bench",
        abstract: "Benchmarks of IPCase (build with -c release).",
        subcommands: [
            EngineBench.self,
            SweepBench.self,
            EngineVsSQLBench.self,
            DocketBench.self,
            FootprintBench.self,
            ImportBench.self,
            DaemonBench.self,
            BudgetBench.self,
            RegisterBench.self,
            WebBench.self,
        ]
    )
}

/// `ipcase-bench engine`: full deadline schedules per second on one core.
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Compute full deadline schedules (KZ, EP, US patents) on one core and print rights per second.",
        discussion: """
            Each right gets its full schedule: priority, publication or PCT entry, 18–20 years of
            annuities with grace and rolling past closed days, term. The counts and a checksum are
            verified against independently known totals, so a wrong fast answer fails.

              swift run -c release ipcase-bench engine --rights 2000000
            """
    )

    @Option(help: "Rights to compute per measured run.")
    var rights = 2_000_000

    @Option(help: "Seed of the generated portfolio.")
    var seed: UInt64 = 42

    @Option(help: "Only one mix: all, kz, ep, us.")
    var mix: String?

    func run() throws {
        let engine = DeadlineEngine()
        let portfolio = Portfolio(size: 4096, seed: seed)
        try portfolio.verify(engine: engine)

        print(
            "ipcase-bench engine: \(rights) rights per run, portfolio of \(portfolio.rights.count) distinct rights,"
                + " one thread; rates per second of thread CPU time")
        let mixes = try Portfolio.Mix.allCases.filter { candidate in
            guard let mix else { return true }
            guard let chosen = Portfolio.Mix(argument: mix) else { throw ValidationError("--mix: all, kz, ep or us") }
            return candidate == chosen
        }
        for mix in mixes {
            let indices = portfolio.indices(for: mix)
            let expected = indices.reduce(0) { $0 + portfolio.rights[$1].expectedCount }
            // Warm up, then measure the reused-buffer API and the allocating API.
            _ = measure(
                engine: engine, portfolio: portfolio, indices: indices, rights: min(rights, 100_000), reuse: true)
            let reused = measure(engine: engine, portfolio: portfolio, indices: indices, rights: rights, reuse: true)
            let allocating = measure(
                engine: engine, portfolio: portfolio, indices: indices, rights: rights, reuse: false)
            let rounds = rights / indices.count
            let remainder = indices.prefix(rights % indices.count).reduce(0) { $0 + portfolio.rights[$1].expectedCount }
            let expectedTotal = expected * rounds + remainder
            guard reused.deadlines == expectedTotal, allocating.deadlines == expectedTotal,
                reused.checksum == allocating.checksum
            else {
                throw ValidationError(
                    "\(mix): wrong answer: \(reused.deadlines)/\(allocating.deadlines) deadlines, expected \(expectedTotal)"
                )
            }
            print(
                "\(mix.label.padding(toLength: 22, withPad: " ", startingAt: 0))"
                    + " \(format(reused.rightsPerSecond)) rights/s, \(format(reused.deadlinesPerSecond)) deadlines/s"
                    + " (reused buffer); \(format(allocating.rightsPerSecond)) rights/s (new array per right);"
                    + " \(String(format2: Double(reused.deadlines) / Double(rights))) deadlines/right, verified;"
                    + " CPU \(String(format2: 100 * reused.seconds / reused.wallSeconds)) % of wall time")
        }
    }

    struct Result {
        var deadlines: Int
        var checksum: Int
        /// CPU time of this thread: the time the core actually spent (the machine is shared).
        var seconds: Double
        var wallSeconds: Double
        var rights: Int
        var rightsPerSecond: Double { Double(rights) / seconds }
        var deadlinesPerSecond: Double { Double(deadlines) / seconds }
    }

    /// CPU time consumed by the calling thread, in seconds.
    static func threadCPUTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    func measure(engine: DeadlineEngine, portfolio: Portfolio, indices: [Int], rights: Int, reuse: Bool) -> Result {
        var buffer: [Deadline] = []
        buffer.reserveCapacity(64)
        var deadlines = 0
        var checksum = 0
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = EngineBench.threadCPUTime()
        var position = 0
        for _ in 0..<rights {
            let right = portfolio.rights[indices[position]]
            position += 1
            if position == indices.count { position = 0 }
            if reuse {
                buffer.removeAll(keepingCapacity: true)
                deadlines += engine.deadlines(
                    jurisdiction: right.jurisdiction, kind: right.kind, events: right.events, into: &buffer)
                checksum &+= Int(buffer[buffer.count - 1].due.daysSinceEpoch) &+ Int(buffer[0].due.daysSinceEpoch)
            } else {
                let schedule = engine.deadlines(
                    jurisdiction: right.jurisdiction, kind: right.kind, events: right.events)
                deadlines += schedule.count
                checksum &+= Int(schedule[schedule.count - 1].due.daysSinceEpoch) &+ Int(schedule[0].due.daysSinceEpoch)
            }
        }
        let cpu = EngineBench.threadCPUTime() - cpuStart
        let elapsed = clock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(deadlines: deadlines, checksum: checksum, seconds: cpu, wallSeconds: wall, rights: rights)
    }

    func format(_ value: Double) -> String {
        if value >= 1e6 { return String(format2: value / 1e6) + " M" }
        return String(format2: value / 1e3) + " k"
    }
}

extension String {
    /// A number with two decimals (no Foundation).
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// A generated portfolio of KZ, EP and US patents with known deadline counts.
struct Portfolio {
    struct Right {
        var jurisdiction: Jurisdiction
        var kind: RightKind
        var events: [RightEvent]
        /// Deadlines the rules must produce, counted from the rules by hand (see `verify`).
        var expectedCount: Int
        var mix: Mix
    }

    enum Mix: CaseIterable {
        case all, kazakhPatents, europeanPatents, usPatents

        init?(argument: String) {
            switch argument.lowercased() {
            case "all": self = .all
            case "kz": self = .kazakhPatents
            case "ep": self = .europeanPatents
            case "us": self = .usPatents
            default: return nil
            }
        }

        var label: String {
            switch self {
            case .all: "mixed KZ/EP/US"
            case .kazakhPatents: "KZ patents"
            case .europeanPatents: "EP patents"
            case .usPatents: "US patents"
            }
        }
    }

    var rights: [Right] = []

    init(size: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let start = try! CivilDate(iso: "2012-01-01").daysSinceEpoch
        for index in 0..<size {
            let filed = CivilDate(daysSinceEpoch: start + Int32(random.next() % 5000))
            let priority = filed.adding(days: -Int(random.next() % 365))
            switch index % 3 {
            case 0:
                // KZ patent, granted: priority, 20 annual fees, term.
                let granted = filed.adding(days: 700 + Int(random.next() % 1200))
                rights.append(
                    Right(
                        jurisdiction: .kazakhstan, kind: .patent,
                        events: [
                            RightEvent(.filed, on: filed), RightEvent(.priority, on: priority),
                            RightEvent(.granted, on: granted),
                        ],
                        expectedCount: 1 + 20 + 1, mix: .kazakhPatents))
            case 1:
                if random.next() % 2 == 0 {
                    // EP direct filing: priority, publication, 18 renewal fees (years 3–20), term.
                    rights.append(
                        Right(
                            jurisdiction: .european, kind: .patent,
                            events: [RightEvent(.filed, on: filed), RightEvent(.priority, on: priority)],
                            expectedCount: 1 + 1 + 18 + 1, mix: .europeanPatents))
                } else {
                    // Euro-PCT: priority, 31-month entry, 18 renewal fees (early ones deferred), term.
                    rights.append(
                        Right(
                            jurisdiction: .european, kind: .patent,
                            events: [RightEvent(.pctFiled, on: filed), RightEvent(.priority, on: priority)],
                            expectedCount: 1 + 1 + 18 + 1, mix: .europeanPatents))
                }
            default:
                // US patent, granted: priority, publication, 3 maintenance fees, term.
                let granted = filed.adding(days: 500 + Int(random.next() % 1500))
                rights.append(
                    Right(
                        jurisdiction: .unitedStates, kind: .patent,
                        events: [RightEvent(.filed, on: filed), RightEvent(.granted, on: granted)],
                        expectedCount: 1 + 1 + 3 + 1, mix: .usPatents))
            }
        }
    }

    func indices(for mix: Mix) -> [Int] {
        rights.indices.filter { mix == .all || rights[$0].mix == mix }
    }

    /// Checks every right's schedule against facts computed here without the engine.
    func verify(engine: DeadlineEngine) throws {
        for right in rights {
            let schedule = engine.deadlines(jurisdiction: right.jurisdiction, kind: right.kind, events: right.events)
            guard schedule.count == right.expectedCount else {
                throw ValidationError(
                    "\(right.jurisdiction) \(right.events): \(schedule.count) deadlines, expected \(right.expectedCount)"
                )
            }
            for deadline in schedule {
                guard deadline.due >= deadline.nominal, deadline.final.map({ $0 >= deadline.due }) ?? true,
                    deadline.rule.calendar.map({ !$0.isClosed(deadline.due) }) ?? true
                else { throw ValidationError("\(deadline.key): inconsistent dates") }
            }
            // EP renewal year 3 of a direct filing: last day of the month of the 2nd anniversary.
            if right.jurisdiction == .european, let filed = right.events.first(where: { $0.kind == .filed })?.date,
                let third = schedule.first(where: { $0.year == FeeYear(3) })
            {
                let anniversary = filed.adding(years: 2).date
                guard third.nominal == anniversary.lastDayOfMonth else {
                    throw ValidationError(
                        "EP year 3 for \(filed): \(third.nominal), expected end of month of \(anniversary)")
                }
            }
        }
    }
}

/// A small deterministic generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
