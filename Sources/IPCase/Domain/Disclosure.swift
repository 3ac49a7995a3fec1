/// An invention disclosure: what inventors report to the office, which it assesses and may
/// decide to protect. Rights filed for it point back to it.
public struct Disclosure: Hashable, Sendable, Codable {
    /// Where the money behind the invention came from (several may apply).
    public enum FundingSource: String, Hashable, Sendable, Codable, CaseIterable {
        case stateBudget = "state-budget"
        case grantProgramme = "grant-programme"
        case ownFunds = "own-funds"
        case venture = "venture"
        case foreign = "foreign"
    }

    /// The database key.
    public var id: ID<Disclosure>
    /// The office that received it.
    public var office: ID<Office>
    /// The office's reference, e.g. "D-2024-017"; labels the record in messages.
    public var reference: String
    /// The title of the invention.
    public var title: String
    /// The date the office received the disclosure.
    public var receivedOn: CivilDate
    /// The inventors' department, which receives the department share of revenue.
    public var department: String?
    /// The inventors with their shares; the shares sum to 100 % once assessment starts.
    public var inventors: [InventorShare]
    /// Where the funding came from.
    public var fundingSources: [FundingSource]
    /// Technology readiness level, when assessed.
    public var readiness: TechnologyReadinessLevel?
    /// IPC symbols classifying the invention.
    public var ipcSymbols: [IPCSymbol]
    /// Where the disclosure is in its workflow.
    public var state: DisclosureWorkflow.State
    /// The date an on-hold disclosure is to be reviewed.
    public var reviewOn: CivilDate?

    /// Creates a disclosure, by default just received.
    public init(
        id: ID<Disclosure>, office: ID<Office>, reference: String, title: String, receivedOn: CivilDate,
        department: String? = nil, inventors: [InventorShare] = [], fundingSources: [FundingSource] = [],
        readiness: TechnologyReadinessLevel? = nil, ipcSymbols: [IPCSymbol] = [],
        state: DisclosureWorkflow.State = .received, reviewOn: CivilDate? = nil
    ) {
        self.id = id
        self.office = office
        self.reference = reference
        self.title = title
        self.receivedOn = receivedOn
        self.department = department
        self.inventors = inventors
        self.fundingSources = fundingSources
        self.readiness = readiness
        self.ipcSymbols = ipcSymbols
        self.state = state
        self.reviewOn = reviewOn
    }
}

/// One inventor and their share of the invention (and so of the inventors' part of revenue).
public struct InventorShare: Hashable, Sendable, Codable {
    /// The inventor.
    public var party: ID<Party>
    /// The inventor's share; all shares of an invention sum to 100 % (10 000 basis points).
    public var share: BasisPoints

    /// Creates an inventor share.
    public init(_ party: ID<Party>, _ share: BasisPoints) {
        self.party = party
        self.share = share
    }

    /// What is wrong with a list of inventor shares, as phrases completing "needs …"; empty when
    /// there is at least one inventor, each listed once with a positive share, summing to 100 %.
    public static func problems(in shares: [InventorShare]) -> [String] {
        guard !shares.isEmpty else { return ["at least one inventor"] }
        var problems: [String] = []
        if Set(shares.map(\.party)).count != shares.count {
            problems.append("each inventor listed once")
        }
        if shares.contains(where: { $0.share == .zero }) {
            problems.append("a positive share for every inventor")
        }
        let total = shares.reduce(0) { $0 + $1.share.value }
        if total != BasisPoints.whole.value {
            problems.append(
                "inventor shares summing to 100 % (they sum to \(BasisPoints.describe(total)))")
        }
        return problems
    }
}

/// A technology readiness level, 1 (basic principles observed) to 9 (proven in operation).
public struct TechnologyReadinessLevel: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The level, 1–9.
    public let level: Int

    /// Creates a level; `nil` outside 1–9.
    public init?(_ level: Int) {
        guard (1...9).contains(level) else { return nil }
        self.level = level
    }

    /// `TRL 4`.
    public var description: String { "TRL \(level)" }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.level < rhs.level }

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(Int.self)
        guard let level = TechnologyReadinessLevel(value) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "TRL \(value) is not 1–9"))
        }
        self = level
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(level)
    }
}

/// An International Patent Classification symbol at subclass level (`A61K`) or group level
/// (`A61K 31/713`), normalized to upper case with one space before the group.
///
/// ```swift
/// IPCSymbol("a61k31/713")?.text   // "A61K 31/713"
/// IPCSymbol("Z99Z 1/00")          // nil: sections run A–H
/// ```
public struct IPCSymbol: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The normalized symbol.
    public let text: String

    /// Parses a symbol; `nil` unless section A–H, two-digit class, subclass letter, and
    /// optionally a main group of 1–4 digits, `/`, and a subgroup of 2–6 digits.
    public init?(_ raw: String) {
        let bytes = Array(raw.uppercased().utf8.filter { $0 != 32 })
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        func isLetter(_ byte: UInt8) -> Bool { byte >= 65 && byte <= 90 }
        guard bytes.count >= 4, bytes[0] >= 65, bytes[0] <= 72, isDigit(bytes[1]), isDigit(bytes[2]),
            isLetter(bytes[3])
        else { return nil }
        let subclass = String(decoding: bytes[0..<4], as: UTF8.self)
        guard bytes.count > 4 else {
            text = subclass
            return
        }
        let rest = bytes[4...]
        guard let slash = rest.firstIndex(of: 47) else { return nil }
        let group = rest[rest.startIndex..<slash]
        let subgroup = rest[(slash + 1)...]
        guard (1...4).contains(group.count), group.allSatisfy(isDigit),
            (2...6).contains(subgroup.count), subgroup.allSatisfy(isDigit)
        else { return nil }
        text = "\(subclass) \(String(decoding: group, as: UTF8.self))/\(String(decoding: subgroup, as: UTF8.self))"
    }

    /// The section letter, A–H.
    public var section: Character { text.first! }
    /// The subclass, e.g. `A61K`.
    public var subclass: String { String(text.prefix(4)) }

    public var description: String { text }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.text < rhs.text }

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(String.self)
        guard let symbol = IPCSymbol(value) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(value)' is not an IPC symbol"))
        }
        self = symbol
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
