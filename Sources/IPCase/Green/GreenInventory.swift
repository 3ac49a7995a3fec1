import Foundation

/// The seven top-level categories of the WIPO IPC Green Inventory.
///
/// Raw values are the stable spelling used in the data file, reports and JSON.
public enum GreenCategory: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    case alternativeEnergyProduction = "alternative-energy-production"
    case transportation = "transportation"
    case energyConservation = "energy-conservation"
    case wasteManagement = "waste-management"
    case agricultureForestry = "agriculture-forestry"
    case administrativeRegulatoryDesign = "administrative-regulatory-design"
    case nuclearPowerGeneration = "nuclear-power-generation"

    /// The inventory's heading, e.g. "Alternative energy production".
    public var name: String {
        switch self {
        case .alternativeEnergyProduction: "Alternative energy production"
        case .transportation: "Transportation"
        case .energyConservation: "Energy conservation"
        case .wasteManagement: "Waste management"
        case .agricultureForestry: "Agriculture / forestry"
        case .administrativeRegulatoryDesign: "Administrative, regulatory or design aspects"
        case .nuclearPowerGeneration: "Nuclear power generation"
        }
    }

    public static func < (lhs: GreenCategory, rhs: GreenCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One topic of the Green Inventory (e.g. "Wind energy") with the IPC places it links to.
public struct GreenTopic: Hashable, Sendable {
    /// Stable id from the data file, e.g. `wind-energy`.
    public let id: String
    /// The topic's heading, e.g. "Wind energy".
    public let title: String
    /// The top-level category it sits under.
    public let category: GreenCategory
    /// The headings of the topics above it, outermost first (empty for a topic directly under its category).
    public let parents: [String]
    /// The IPC places it links to.
    public let places: [IPCPlace]
}

/// A place in the IPC named by the Green Inventory: a class (`B61`), a subclass (`F03D`), a main
/// group (`C10L 5/00`), a subgroup (`H01L 31/042`), or a range of groups (`H01L 31/00-31/078`).
///
/// ```swift
/// let solar = try IPCPlace("H01L 31/00-31/078")
/// solar.contains(IPCSymbol("H01L 31/04")!)    // true
/// solar.contains(IPCSymbol("H01L 31/08")!)    // false
/// ```
public struct IPCPlace: Hashable, Sendable, CustomStringConvertible {
    /// The text as written in the inventory, normalized.
    public let description: String
    /// The class (3 characters) or subclass (4 characters) the place lies in.
    let prefix: String
    /// For a group or range: the first and last group keys, inclusive.
    let groups: ClosedRange<GroupKey>?
    /// 0 class, 1 subclass, 2 range over main groups, 3 main group, 4 range within a main group, 5 subgroup.
    let specificity: Int

    /// A group position comparable in IPC order: main group, then the subgroup digits as a decimal fraction.
    struct GroupKey: Hashable, Comparable, Sendable {
        let mainGroup: Int
        /// Subgroup digits padded on the right to six places ("04" → "040000").
        let subgroup: String

        static func < (lhs: GroupKey, rhs: GroupKey) -> Bool {
            (lhs.mainGroup, lhs.subgroup) < (rhs.mainGroup, rhs.subgroup)
        }
    }

    /// Why a place could not be read.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        /// The text refused.
        public let text: String
        public var description: String { "'\(text)' is not an IPC class, subclass, group or group range" }
    }

    /// Parses a place: `B61`, `F03D`, `C10L 5/00`, `H01L 31/042`, `H01L 31/00-31/078`, `B01D 45/00-51/00`.
    public init(_ text: String) throws(Invalid) {
        let trimmed = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        let fail = Invalid(text: text)
        let bytes = Array(trimmed.utf8)
        guard bytes.count >= 3, bytes[0] >= 65, bytes[0] <= 72, IPCPlace.isDigit(bytes[1]), IPCPlace.isDigit(bytes[2])
        else { throw fail }
        if bytes.count == 3 {
            self.init(description: trimmed, prefix: trimmed, groups: nil, specificity: 0)
            return
        }
        guard bytes[3] >= 65, bytes[3] <= 90 else { throw fail }
        let subclass = String(trimmed.prefix(4))
        if bytes.count == 4 {
            self.init(description: trimmed, prefix: subclass, groups: nil, specificity: 1)
            return
        }
        guard bytes[4] == 32 else { throw fail }
        let rest = String(trimmed.dropFirst(5))
        let bounds = rest.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count),
            let low = IPCPlace.group(String(bounds[0])),
            let high = IPCPlace.group(String(bounds.count == 2 ? bounds[1] : bounds[0]))
        else { throw fail }
        let first = GroupKey(mainGroup: low.main, subgroup: IPCPlace.pad(low.subgroup, with: "0"))
        // An upper bound `/00` takes the whole main group; otherwise the subgroup and its extensions.
        let last =
            high.subgroup == "00"
            ? GroupKey(mainGroup: high.main, subgroup: "999999")
            : GroupKey(mainGroup: high.main, subgroup: IPCPlace.pad(high.subgroup, with: "9"))
        guard first <= GroupKey(mainGroup: high.main, subgroup: IPCPlace.pad(high.subgroup, with: "0")) else {
            throw fail
        }
        let specificity: Int
        if bounds.count == 1 {
            specificity = low.subgroup == "00" ? 3 : 5
        } else {
            specificity = low.main == high.main ? 4 : 2
        }
        self.init(description: trimmed, prefix: subclass, groups: first...last, specificity: specificity)
    }

    private init(description: String, prefix: String, groups: ClosedRange<GroupKey>?, specificity: Int) {
        self.description = description
        self.prefix = prefix
        self.groups = groups
        self.specificity = specificity
    }

    /// Whether `symbol` lies in this place. A symbol given at subclass level only lies in class and subclass places.
    public func contains(_ symbol: IPCSymbol) -> Bool {
        guard symbol.subclass.hasPrefix(prefix) else { return false }
        guard let groups else { return true }
        guard let key = IPCPlace.key(of: symbol) else { return false }
        return groups.contains(key)
    }

    static func key(of symbol: IPCSymbol) -> GroupKey? {
        let text = symbol.text
        guard text.count > 5, let group = group(String(text.dropFirst(5))) else { return nil }
        return GroupKey(mainGroup: group.main, subgroup: pad(group.subgroup, with: "0"))
    }

    private static func group(_ text: String) -> (main: Int, subgroup: String)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...4).contains(parts[0].count), (2...6).contains(parts[1].count),
            parts[0].utf8.allSatisfy(isDigit), parts[1].utf8.allSatisfy(isDigit), let main = Int(parts[0])
        else { return nil }
        return (main, String(parts[1]))
    }

    private static func pad(_ digits: String, with filler: Character) -> String {
        digits + String(repeating: filler, count: max(0, 6 - digits.count))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}

/// The WIPO IPC Green Inventory as data: topics under seven categories, each linked to IPC
/// places; tags IPC symbols as green technology.
///
/// ```swift
/// GreenInventory.standard.category(for: IPCSymbol("F03D 1/06")!)   // .alternativeEnergyProduction
/// GreenInventory.standard.category(for: IPCSymbol("A61K 31/713")!) // nil
/// ```
public struct GreenInventory: Sendable {
    /// Whether the data holds the whole inventory or a labelled part of it.
    public enum Coverage: String, Hashable, Sendable, Codable {
        case full = "full"
        case subset = "subset"
    }

    /// Where the list comes from (the WIPO page).
    public let source: String
    /// The date the list was taken or compiled.
    public let date: CivilDate
    /// Whether it is the whole inventory or a subset.
    public let coverage: Coverage
    /// The data file's own note on what it holds.
    public let note: String
    /// Every topic that links to IPC places, in file order.
    public let topics: [GreenTopic]

    /// The inventory shipped in `Data/green/ipc-green-inventory.json` (a test checks that it loads).
    public static let standard: GreenInventory = {
        guard let file = EmbeddedFiles.all.first(where: { $0.path == "green/ipc-green-inventory.json" }) else {
            preconditionFailure("the embedded data lacks green/ipc-green-inventory.json")
        }
        do {
            return try GreenInventory(json: Data(file.contents.utf8))
        } catch {
            preconditionFailure("green/ipc-green-inventory.json does not load: \(error)")
        }
    }()

    /// Reads an inventory in the format of `Data/green/ipc-green-inventory.json`.
    /// - Throws: `DecodingError`, ``IPCPlace/Invalid`` or `CivilDate.Invalid` naming what is wrong.
    public init(json: Data) throws {
        let file = try JSONDecoder().decode(File.self, from: json)
        var topics: [GreenTopic] = []
        func walk(_ nodes: [File.Topic], category: GreenCategory, parents: [String]) throws {
            for node in nodes {
                let places = try (node.ipc ?? []).map { text throws(IPCPlace.Invalid) in try IPCPlace(text) }
                if !places.isEmpty {
                    topics.append(
                        GreenTopic(id: node.id, title: node.title, category: category, parents: parents, places: places)
                    )
                }
                try walk(node.topics ?? [], category: category, parents: parents + [node.title])
            }
        }
        for category in file.categories {
            try walk(category.topics, category: category.id, parents: [])
        }
        self.source = file.source
        self.date = try CivilDate(iso: file.date)
        self.coverage = file.coverage
        self.note = file.note
        self.topics = topics
    }

    /// The topics `symbol` falls under, most specific place first (file order among equals).
    public func topics(for symbol: IPCSymbol) -> [GreenTopic] {
        var found: [(specificity: Int, order: Int, topic: GreenTopic)] = []
        for (order, topic) in topics.enumerated() {
            let best = topic.places.filter { $0.contains(symbol) }.map(\.specificity).max()
            if let best { found.append((best, order, topic)) }
        }
        return found.sorted { ($1.specificity, $0.order) < ($0.specificity, $1.order) }.map(\.topic)
    }

    /// The category of the most specific topic `symbol` falls under, or `nil` when it is not green.
    public func category(for symbol: IPCSymbol) -> GreenCategory? {
        topics(for: symbol).first?.category
    }

    /// Every category any of `symbols` falls under through any topic (the inventory lists some
    /// places under two categories, e.g. B09B under landfill gas and waste disposal), sorted;
    /// empty when none is green.
    public func categories(for symbols: some Sequence<IPCSymbol>) -> [GreenCategory] {
        Array(Set(symbols.flatMap { topics(for: $0).map(\.category) })).sorted()
    }

    private struct File: Decodable {
        struct Category: Decodable {
            let id: GreenCategory
            let title: String
            let topics: [Topic]
        }
        struct Topic: Decodable {
            let id: String
            let title: String
            let ipc: [String]?
            let topics: [Topic]?
        }
        let source: String
        let date: String
        let coverage: Coverage
        let note: String
        let categories: [Category]
    }
}
