/// A commercialization office or a law firm's docket: the tenant boundary (every stored row
/// carries its `office`).
public struct Office: Hashable, Sendable, Codable {
    /// What kind of organization runs the office.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case university = "university"
        case researchInstitute = "research-institute"
        case technopark = "technopark"
        case company = "company"
        case lawFirm = "law-firm"
    }

    /// The database key.
    public var id: ID<Office>
    /// The office's name, e.g. "Satbayev University Technology Transfer Office".
    public var name: String
    /// The Kazakh region (oblast or city of republican significance) the office sits in.
    public var region: Region
    /// What kind of organization runs the office.
    public var kind: Kind
    /// An IANA time zone identifier such as `Asia/Almaty`, for "today" and reminder times.
    public var timeZoneIdentifier: String
    /// The jurisdiction whose working-day calendar rolls the office's internal time limits.
    public var calendarJurisdiction: Jurisdiction

    /// Creates an office.
    public init(
        id: ID<Office>, name: String, region: Region, kind: Kind,
        timeZoneIdentifier: String = "Asia/Almaty", calendarJurisdiction: Jurisdiction = .kazakhstan
    ) {
        self.id = id
        self.name = name
        self.region = region
        self.kind = kind
        self.timeZoneIdentifier = timeZoneIdentifier
        self.calendarJurisdiction = calendarJurisdiction
    }
}

/// A first-level administrative unit of Kazakhstan: the 17 regions (oblystar) and the three
/// cities of republican significance, as of the 2022 reform (Abai, Jetisu and Ulytau regions).
///
/// Raw values are the stable spelling used in the database and reports.
public enum Region: String, Hashable, Sendable, Codable, CaseIterable {
    case abai = "abai"
    case akmola = "akmola"
    case aktobe = "aktobe"
    case almatyRegion = "almaty-region"
    case atyrau = "atyrau"
    case eastKazakhstan = "east-kazakhstan"
    case jambyl = "jambyl"
    case jetisu = "jetisu"
    case karaganda = "karaganda"
    case kostanay = "kostanay"
    case kyzylorda = "kyzylorda"
    case mangystau = "mangystau"
    case northKazakhstan = "north-kazakhstan"
    case pavlodar = "pavlodar"
    case turkistan = "turkistan"
    case ulytau = "ulytau"
    case westKazakhstan = "west-kazakhstan"
    /// Astana, the capital (city of republican significance).
    case astana = "astana"
    /// Almaty city (city of republican significance), not Almaty Region.
    case almatyCity = "almaty-city"
    /// Shymkent (city of republican significance).
    case shymkent = "shymkent"

    /// Whether this is a city of republican significance rather than a region.
    public var isCity: Bool {
        switch self {
        case .astana, .almatyCity, .shymkent: true
        case .abai, .akmola, .aktobe, .almatyRegion, .atyrau, .eastKazakhstan, .jambyl, .jetisu,
            .karaganda, .kostanay, .kyzylorda, .mangystau, .northKazakhstan, .pavlodar, .turkistan,
            .ulytau, .westKazakhstan:
            false
        }
    }

    /// English name, e.g. "East Kazakhstan Region" or "Almaty".
    public var name: String {
        switch self {
        case .abai: "Abai Region"
        case .akmola: "Akmola Region"
        case .aktobe: "Aktobe Region"
        case .almatyRegion: "Almaty Region"
        case .atyrau: "Atyrau Region"
        case .eastKazakhstan: "East Kazakhstan Region"
        case .jambyl: "Jambyl Region"
        case .jetisu: "Jetisu Region"
        case .karaganda: "Karaganda Region"
        case .kostanay: "Kostanay Region"
        case .kyzylorda: "Kyzylorda Region"
        case .mangystau: "Mangystau Region"
        case .northKazakhstan: "North Kazakhstan Region"
        case .pavlodar: "Pavlodar Region"
        case .turkistan: "Turkistan Region"
        case .ulytau: "Ulytau Region"
        case .westKazakhstan: "West Kazakhstan Region"
        case .astana: "Astana"
        case .almatyCity: "Almaty"
        case .shymkent: "Shymkent"
        }
    }
}
