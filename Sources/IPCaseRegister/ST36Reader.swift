import IPCase

/// Reads WIPO ST.36 patent documents (`patent-document`) and, since USPTO's full-text XML uses
/// the same element names, the bibliographic part of USPTO grants and applications
/// (`USPTOReader`): each document's application, publications, grant, priority claims, the PCT
/// application and publication it came through (with a US national stage's 371(c) date), a
/// parent application (division, continuation, continuation in part), US provisional
/// applications, applicants, inventors, agents and assignees, IPC symbols and the title in each
/// language given.
///
/// Dates are `YYYYMMDD`. Not read: citations, CPC and national classifications, examiners,
/// term adjustments, abstracts, claims, descriptions, drawings; designated states.
final class ST36Reader: XMLElementConsumer {
    static let roots: Set<String> = ["patent-document"]

    let file: String
    let format: RegisterFormat
    private let roots: Set<String>
    /// How many records it has handed on.
    private(set) var count = 0
    private var current: RegisterRecord?
    /// The depth of the element the current record is read from.
    private var recordDepth = 0
    private var documentLanguage = "und"
    private var applicationType: String?
    private var seriesCode: String?
    /// The document-id or priority claim being read.
    private var country: String?
    private var number: String?
    private var kindCode: String?
    private var date: CivilDate?
    /// The party being read.
    private var role: RegisterParty.Role?
    private var orgname: String?
    private var fullName: String?
    private var givenNames: [String] = []
    private var lastName: String?
    private var partyCountry: String?
    private var residence: String?
    /// The IPC symbol being read, as parts or as `text`.
    private var ipcParts: [String] = Array(repeating: "", count: 5)
    private var ipcText: String?
    private var titleLanguage = "und"
    private let emit: (RegisterRecord) -> Void

    let mixedContent: Set<String> = ["invention-title"]

    /// A reader of `format` (`.st36`, `.usptoGrant` or `.usptoApplication`).
    init(file: String, format: RegisterFormat, emit: @escaping (RegisterRecord) -> Void) {
        self.file = file
        self.format = format
        self.roots = format == .st36 ? Self.roots : Set(USPTOReader.roots.filter { $0.value == format }.keys)
        self.emit = emit
    }

    private var isUSPTO: Bool { format != .st36 }

    func source(_ path: XMLPath) -> RegisterSource { RegisterSource(file: file, format: format, element: path.description) }

    func opened(_ name: String, attributes: [String: String], path: XMLPath) {
        guard current != nil else {
            guard roots.contains(name) else { return }
            current = RegisterRecord(source: source(path))
            recordDepth = path.names.count
            documentLanguage = attributes["lang"]?.lowercased() ?? "und"
            (applicationType, seriesCode) = (nil, nil)
            return
        }
        switch name {
        case "document-id", "priority-claim":
            (country, number, kindCode, date) = (nil, nil, nil, nil)
        case "applicant", "us-applicant", "inventor", "agent", "assignee":
            role =
                switch name {
                case "inventor": .inventor
                case "agent": .agent
                case "assignee": .owner
                default: .applicant
                }
            (orgname, fullName, givenNames, lastName, partyCountry, residence) = (nil, nil, [], nil, nil, nil)
        case "classification-ipcr":
            ipcParts = Array(repeating: "", count: 5)
            ipcText = nil
        case "invention-title":
            titleLanguage = attributes["lang"]?.lowercased() ?? documentLanguage
        case "application-reference":
            if path.names.count == recordDepth + 2 { applicationType = attributes["appl-type"]?.lowercased() }
        case "bibliographic-data", "us-bibliographic-data-grant", "us-bibliographic-data-application":
            if let language = attributes["lang"] { documentLanguage = language.lowercased() }
        default: break
        }
    }

    func closed(_ name: String, text: String, attributes: [String: String], path: XMLPath) {
        guard current != nil else { return }
        if path.names.count == recordDepth {
            finish(path)
            return
        }
        // Citations name other documents: skip them.
        guard !path.contains("references-cited"), !path.contains("us-references-cited") else { return }
        let parent = path.parent
        switch name {
        case "country":
            if parent == "document-id" || parent == "priority-claim" {
                country = text
            } else if role != nil, parent == "address" {
                partyCountry = text
            } else if role != nil, parent == "residence" {
                residence = text
            }
        case "doc-number":
            if parent == "document-id" || parent == "priority-claim" { number = text }
        case "kind":
            if parent == "document-id" || parent == "priority-claim" { kindCode = text }
        case "date":
            if parent == "document-id" || parent == "priority-claim" {
                date = Self.date(text)
            } else if parent == "us-371c124-date" || parent == "us-371c12-date", let day = Self.date(text) {
                // The US national stage: the date the 371(c) requirements were met.
                current?.events.append(RegisterEvent(.nationalPhaseEntered, on: day, reference: "US", source: source(path)))
            }
        case "document-id":
            documentID(path)
        case "priority-claim":
            if let number, !number.isEmpty {
                let office = country.flatMap { Jurisdiction($0.uppercased()) }
                current?.priorities.append(
                    RegisterApplication(office: office, number: applicationNumber(number, office: office), date: date))
                let position = current?.priorities.count ?? 0
                current?.elements["priority \(position)"] = path.description
            }
        case "us-application-series-code":
            seriesCode = text
        case "orgname": if role != nil, !text.isEmpty { orgname = text }
        case "name": if role != nil, !text.isEmpty { fullName = text }
        case "first-name", "middle-name": if role != nil, !text.isEmpty { givenNames.append(text) }
        case "last-name": if role != nil, !text.isEmpty { lastName = text }
        case "applicant", "us-applicant", "inventor", "agent", "assignee":
            guard let role else { return }
            self.role = nil
            let personal = (givenNames + [lastName].compactMap { $0 }).joined(separator: " ")
            let name = orgname ?? fullName ?? (personal.isEmpty ? nil : personal)
            if let name {
                let country = (partyCountry ?? residence).flatMap { $0.uppercased() == "UNKNOWN" ? nil : $0 }
                current?.parties.append(RegisterParty(role: role, name: name, country: country))
            }
        case "section", "class", "subclass", "main-group", "subgroup":
            guard parent == "classification-ipcr" else { return }
            let index = ["section", "class", "subclass", "main-group", "subgroup"].firstIndex(of: name)!
            ipcParts[index] = text
        case "text":
            if parent == "classification-ipcr" { ipcText = text }
        case "classification-ipcr":
            if let symbol = ipcSymbol(), !(current?.ipc.contains(symbol) ?? true) { current?.ipc.append(symbol) }
        case "invention-title":
            if !text.isEmpty, current?.titles[titleLanguage] == nil { current?.titles[titleLanguage] = text }
        default: break
        }
    }

    /// Files a finished `document-id` by what holds it.
    private func documentID(_ path: XMLPath) {
        guard let number, !number.isEmpty else { return }
        let office = country.flatMap { Jurisdiction($0.uppercased()) }
        let holder = path.parent
        let related = path.contains("related-documents") || path.contains("us-related-documents")
        switch holder {
        case "publication-reference" where !related:
            if format == .usptoGrant {
                current?.grantNumber = number
                current?.grantDate = date
                current?.elements["grant"] = path.description
            } else {
                current?.publications.append(RegisterPublication(number: number, kindCode: kindCode, date: date))
                current?.elements["publication \(number)"] = path.description
            }
            if current?.kind == nil { current?.kind = Self.kind(applicationType: nil, kindCode: kindCode) }
        case "application-reference" where !related:
            current?.application = RegisterApplication(
                office: office, number: applicationNumber(number, office: office), date: date)
            current?.elements["application"] = path.description
        case "parent-doc":
            // The nearest parent: the first one named.
            guard current?.parent == nil else { return }
            current?.parent = RegisterApplication(office: office, number: applicationNumber(number, office: office), date: date)
        case "related-publication":
            current?.publications.append(RegisterPublication(number: number, kindCode: kindCode, date: date))
        case "us-provisional-application":
            // A provisional's filing date is the priority date (35 U.S.C. 119(e)).
            let office = office ?? .unitedStates
            current?.priorities.append(
                RegisterApplication(office: office, number: applicationNumber(number, office: office), date: date))
            let position = current?.priorities.count ?? 0
            current?.elements["priority \(position)"] = path.description
        case "pct-or-regional-filing-data":
            current?.pctApplication = RegisterApplication(office: office, number: number, date: date)
            current?.elements["pct-application"] = path.description
        case "pct-or-regional-publishing-data":
            current?.pctPublication = RegisterPublication(number: number, kindCode: kindCode, date: date)
        default:
            break
        }
    }

    /// A USPTO file's US application numbers in the docket's form (`17/123,456`); any other
    /// number as given.
    private func applicationNumber(_ number: String, office: Jurisdiction?) -> String {
        guard isUSPTO, office == .unitedStates else { return number }
        return RegisterNumbers.docketForm(number, office: office)
    }

    /// The IPC symbol read: `text` (`C02F   1/28   20060101AFI…`) or the parts.
    private func ipcSymbol() -> IPCSymbol? {
        if let ipcText {
            let tokens = ipcText.split(separator: " ", omittingEmptySubsequences: true)
            if tokens.count >= 2, let symbol = IPCSymbol("\(tokens[0]) \(tokens[1])") { return symbol }
            if let first = tokens.first, let symbol = IPCSymbol(String(first)) { return symbol }
        }
        guard !ipcParts[0].isEmpty else { return nil }
        let group = Int(ipcParts[3]).map(String.init) ?? ipcParts[3]
        return IPCSymbol("\(ipcParts[0])\(ipcParts[1])\(ipcParts[2]) \(group)/\(ipcParts[4])")
    }

    /// The right's kind from the application type (`utility`, `design`, `plant`, `reissue`,
    /// `provisional`, `utility-model`) or else from the publication's kind code (`U`, `Y`: a
    /// utility model, `S`: a design).
    static func kind(applicationType: String?, kindCode: String?) -> RightKind? {
        switch applicationType {
        case "utility", "plant", "reissue", "sir", "invention", "patent": return .patent
        case "design": return .design
        case "provisional": return .provisional
        case "utility-model", "utility model": return .utilityModel
        default: break
        }
        switch kindCode?.uppercased().first {
        case "U", "Y": return .utilityModel
        case "S": return .design
        case "A", "B", "C", "E", "P": return .patent
        default: return nil
        }
    }

    /// `20230314` (or `2023-03-14`) as a date; `nil` for anything else, such as `00000000`.
    static func date(_ text: String) -> CivilDate? {
        let utf8 = Array(text.utf8)
        if utf8.count == 8, utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            func number(_ range: Range<Int>) -> Int { utf8[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
            return try? CivilDate(year: number(0..<4), month: number(4..<6), day: number(6..<8))
        }
        return try? CivilDate(iso: text.prefix(10))
    }

    /// Derives the events of a finished document from its dates and hands it on.
    private func finish(_ path: XMLPath) {
        guard var record = current.take() else { return }
        if let type = applicationType, let kind = Self.kind(applicationType: type, kindCode: nil) { record.kind = kind }
        // Older USPTO files give the serial without its series code.
        if isUSPTO, let seriesCode, var application = record.application, application.office == .unitedStates,
            RegisterNumbers.digits(application.number).count == 6
        {
            application.number = RegisterNumbers.docketForm(seriesCode + application.number, office: .unitedStates)
            record.application = application
        }
        RegisterRecord.deriveBibliographicEvents(&record, at: source(path))
        count += 1
        emit(record)
    }
}
