import IPCase

/// The published file formats the importer reads.
public enum RegisterFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// WIPO ST.96 patent XML (`pat:PatentPublication`, bibliographic data).
    case st96 = "st96"
    /// WIPO ST.36 patent XML (`patent-document`, bibliographic data).
    case st36 = "st36"
    /// EPO OPS published data, bibliographic (`exchange-documents`).
    case opsBiblio = "ops-biblio"
    /// EPO OPS INPADOC/DOCDB family (`patent-family`).
    case opsFamily = "ops-family"
    /// EPO OPS INPADOC legal status (`legal`).
    case opsLegal = "ops-legal"
    /// The EP Register's procedural steps (`register-documents`).
    case epRegister = "ep-register"
    /// USPTO patent grant full-text XML (`us-patent-grant`, bibliographic part).
    case usptoGrant = "uspto-grant"
    /// USPTO patent application full-text XML (`us-patent-application`, bibliographic part).
    case usptoApplication = "uspto-application"
}

/// Where a record or an event was read: the file, its format and the element (an XPath-like
/// path with positions, e.g. `PatentPublication[1]/BibliographicData/GrantDate`).
public struct RegisterSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file's name.
    public var file: String
    /// Its format.
    public var format: RegisterFormat
    /// The element.
    public var element: String

    /// Creates a source.
    public init(file: String, format: RegisterFormat, element: String) {
        self.file = file
        self.format = format
        self.element = element
    }

    /// `us-grant.xml#us-patent-grant[2]/…/date`.
    public var description: String { "\(file)#\(element)" }
}

/// A published document of an application: its number, kind code and date.
public struct RegisterPublication: Sendable, Hashable, Codable {
    public var number: String
    public var kindCode: String?
    public var date: CivilDate?

    public init(number: String, kindCode: String? = nil, date: CivilDate? = nil) {
        self.number = number
        self.kindCode = kindCode
        self.date = date
    }

    /// Whether its kind code says it is a granted patent (`B`, `B1`, `B2`, `C`, `E`).
    public var isGrant: Bool {
        guard let letter = kindCode?.uppercased().first else { return false }
        return letter == "B" || letter == "C" || letter == "E"
    }
}

/// An application named by a register: its office, number and (where given) filing date.
public struct RegisterApplication: Sendable, Hashable, Codable {
    public var office: Jurisdiction?
    public var number: String
    public var date: CivilDate?

    public init(office: Jurisdiction?, number: String, date: CivilDate? = nil) {
        self.office = office
        self.number = number
        self.date = date
    }
}

/// A party as a register names it.
public struct RegisterParty: Sendable, Hashable, Codable {
    /// What it is to the application.
    public enum Role: String, Sendable, Hashable, Codable {
        case applicant, inventor, agent, owner
    }

    public var role: Role
    public var name: String
    public var country: String?

    public init(role: Role, name: String, country: String? = nil) {
        self.role = role
        self.name = name
        self.country = country
    }
}

/// Something a register says happened to the application, as a docket event, with the code the
/// register used and where it was read.
public struct RegisterEvent: Sendable, Hashable, Codable {
    public var kind: RightEventKind
    public var date: CivilDate
    /// The fee year (renewal fee paid), where it applies.
    public var year: Int?
    /// A reference: an application, publication or patent number, or a state.
    public var reference: String?
    /// The register's code (an INPADOC legal-status code such as `PGFP`, an EP Register step such
    /// as `RFEE`), `nil` for a bibliographic date.
    public var code: String?
    /// Where it was read.
    public var source: RegisterSource

    public init(
        _ kind: RightEventKind, on date: CivilDate, year: Int? = nil, reference: String? = nil, code: String? = nil,
        source: RegisterSource
    ) {
        self.kind = kind
        self.date = date
        self.year = year
        self.reference = reference
        self.code = code
        self.source = source
    }
}

/// What one register document says of one application: numbers and dates, priorities, the PCT
/// route, a parent application, parties, classification, titles, the family and events.
public struct RegisterRecord: Sendable, Hashable, Codable {
    /// Where the record was read.
    public var source: RegisterSource
    /// The application itself (office, number as given, filing date).
    public var application: RegisterApplication?
    /// What kind of right it is, when the document says.
    public var kind: RightKind?
    /// Its publications (A documents, B grants …).
    public var publications: [RegisterPublication] = []
    /// The patent number and grant date, when granted.
    public var grantNumber: String?
    public var grantDate: CivilDate?
    /// The applications whose priority it claims.
    public var priorities: [RegisterApplication] = []
    /// The PCT application it entered from, and its international publication.
    public var pctApplication: RegisterApplication?
    public var pctPublication: RegisterPublication?
    /// The application it was divided or continued from.
    public var parent: RegisterApplication?
    /// Applicants, inventors, agents, owners.
    public var parties: [RegisterParty] = []
    /// IPC symbols.
    public var ipc: [IPCSymbol] = []
    /// The title in each language given, keyed by language code (`ru`, `kk`, `en`; `und` when none).
    public var titles: [String: String] = [:]
    /// The DOCDB or INPADOC family the register files it under.
    public var familyID: String?
    /// What happened to it, by date.
    public var events: [RegisterEvent] = []
    /// Where each bibliographic fact was read, by fact: `application`, `grant`, `pct-application`,
    /// `publication NUMBER`, `priority N` (the claim's position, from 1) → the element's path. The
    /// events derived from those facts carry these paths as their source.
    public var elements: [String: String] = [:]
    /// The register's codes that are not docket events: not in the legal-status table, known but
    /// not an event, or without a date (never dropped silently; a report can list them).
    public var unmapped: [RegisterStatusCode] = []
    /// The states designated (EP: contracting, extension and validation states), as the register gives them.
    public var designatedStates: [String] = []

    /// An empty record read at `source`.
    public init(source: RegisterSource) { self.source = source }
}

/// A legal-status code or procedural step a register gave that did not become a docket event,
/// kept with what the register said of it and why it is not an event.
public struct RegisterStatusCode: Sendable, Hashable, Codable {
    /// Why the code is not an event.
    public enum Reason: String, Sendable, Hashable, Codable {
        /// The legal-status table does not have the code for this office.
        case notInTable = "not-in-table"
        /// The table has it, as a code that is not a docket event (designated states, no opposition …).
        case notAnEvent = "not-an-event"
        /// The table maps it to an event, but the register gave no date it could be read from.
        case undated
    }

    /// The register's code (`BECN`, `REG/FG4D`, `OBSE`).
    public var code: String
    /// The office whose code it is.
    public var office: String?
    /// The register's description of it.
    public var description: String?
    /// Its date (an OPS gazette date, an EP Register step's first date), where given.
    public var date: CivilDate?
    /// The state or document it names, where given.
    public var reference: String?
    /// Why it is not an event.
    public var reason: Reason
    /// Where it was read.
    public var source: RegisterSource

    /// Creates a kept code.
    public init(
        code: String, office: String?, description: String? = nil, date: CivilDate? = nil, reference: String? = nil,
        reason: Reason, source: RegisterSource
    ) {
        self.code = code
        self.office = office
        self.description = description
        self.date = date
        self.reference = reference
        self.reason = reason
        self.source = source
    }
}

extension CivilDate {
    /// A register's date: `20230314` (OPS, EP Register) or `2023-03-14` (ISO, with or without a zone).
    init?(register text: String) {
        let trimmed = String(text.filter { !$0.isWhitespace })
        let digits = trimmed.prefix(8)
        if digits.count == 8, digits.allSatisfy(\.isASCIIDigit), let year = Int(digits.prefix(4)),
            let month = Int(digits.dropFirst(4).prefix(2)), let day = Int(digits.suffix(2)),
            let date = try? CivilDate(year: year, month: month, day: day)
        {
            self = date
        } else if let date = try? CivilDate(iso: String(trimmed.prefix(10))) {
            self = date
        } else {
            return nil
        }
    }
}
