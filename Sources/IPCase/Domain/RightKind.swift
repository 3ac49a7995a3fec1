/// The kind of an intellectual-property right (one application or title in one jurisdiction).
///
/// Raw values are the stable spelling used in rule files, the database and the command line.
public enum RightKind: String, Hashable, Sendable, Codable, CaseIterable {
    case patent = "patent"
    case utilityModel = "utility-model"
    case design = "design"
    case trademark = "trademark"
    /// A PCT international application (jurisdiction `WO`).
    case pctApplication = "pct-application"
    /// A US provisional application.
    case provisional = "provisional"
    case selectionAchievement = "selection-achievement"
    /// A computer program, an object of copyright entered in the state register of rights to
    /// objects protected by copyright.
    case software = "software"
    /// A database (a compilation of data), an object of copyright like ``software``.
    case database = "database"
    /// Another work protected by copyright: literary, scientific, audiovisual, design documentation.
    case work = "work"
    /// Know-how kept as a trade secret: protected by keeping it secret, not by a title; it is
    /// shared under NDAs and licensed under agreements, and has no statutory deadlines.
    case knowHow = "know-how"

    /// Human-readable name, e.g. "utility model".
    public var name: String {
        switch self {
        case .patent: "patent"
        case .utilityModel: "utility model"
        case .design: "industrial design"
        case .trademark: "trademark"
        case .pctApplication: "PCT international application"
        case .provisional: "provisional application"
        case .selectionAchievement: "selection achievement"
        case .software: "computer program"
        case .database: "database"
        case .work: "work"
        case .knowHow: "know-how"
        }
    }

    /// Whether the law sets time limits for the right (all kinds but ``knowHow``, which is kept
    /// by secrecy and has only the deadlines of its agreements).
    public var hasStatutoryDeadlines: Bool { self != .knowHow }

    /// Whether the right is an object of copyright (``software``, ``database``, ``work``): it
    /// exists from its creation, is entered in a register rather than granted after examination,
    /// and lasts for its authors' lives and a term after (no annuities).
    public var isCopyright: Bool {
        switch self {
        case .software, .database, .work: true
        case .patent, .utilityModel, .design, .trademark, .pctApplication, .provisional, .selectionAchievement,
            .knowHow:
            false
        }
    }
}
