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
        }
    }
}
