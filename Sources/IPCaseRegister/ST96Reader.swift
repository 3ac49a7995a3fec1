import IPCase

/// Reads WIPO ST.96 patent documents (`pat:PatentPublication`, V4–V6): the bibliographic data
/// of each document — its application, publication and grant, priority claims, the PCT
/// application and publication it came through, a parent application (division, continuation),
/// applicants, inventors and agents, IPC symbols and the title in every language given.
///
/// Not read: citations, CPC and national classifications, abstracts, claims, descriptions,
/// drawings; designated states; correspondence addresses.
final class ST96Reader: XMLElementConsumer {
    static let roots: Set<String> = ["PatentPublication", "PatentGrant", "PatentDocument"]

    let file: String
    /// How many records it has handed on.
    private(set) var count = 0
    private var current: RegisterRecord?
    /// The depth of the element the current record is read from.
    private var recordDepth = 0
    /// The application, publication or party being read.
    private var office: Jurisdiction?
    private var number: String?
    private var date: CivilDate?
    private var kindCode: String?
    private var name: [String] = []
    private var country: String?
    private var ipcParts: [String: String] = [:]
    private var titleLanguage = "und"
    private let emit: (RegisterRecord) -> Void

    init(file: String, emit: @escaping (RegisterRecord) -> Void) {
        self.file = file
        self.emit = emit
    }

    func source(_ path: XMLPath) -> RegisterSource { RegisterSource(file: file, format: .st96, element: path.description) }

    func opened(_ name: String, attributes: [String: String], path: XMLPath) {
        if Self.roots.contains(name), current == nil {
            current = RegisterRecord(source: source(path))
            recordDepth = path.names.count
            return
        }
        switch name {
        case "ApplicationIdentification", "PatentPublicationIdentification", "PatentGrantIdentification", "PriorityClaim":
            (office, number, date, kindCode) = (nil, nil, nil, nil)
        case "Applicant", "Inventor", "RegisteredPractitioner":
            (self.name, country) = ([], nil)
        case "IPCRClassification":
            ipcParts = [:]
        case "InventionTitle":
            titleLanguage = attributes["languageCode"] ?? "und"
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
        guard !path.contains("ReferenceCitationBag"), !path.contains("PatentCitationBag") else { return }
        switch name {
        case "IPOfficeCode": office = Jurisdiction(text.uppercased())
        case "ApplicationNumberText", "PublicationNumber", "PatentNumber": number = text
        case "FilingDate", "PublicationDate", "GrantDate":
            date = try? CivilDate(iso: String(text.prefix(10)))
            if name == "GrantDate", path.ends(with: "BibliographicData", "GrantDate") { current?.grantDate = date }
        case "PatentDocumentKindCode": kindCode = text
        case "InventionSubjectMatterCategory":
            switch text.lowercased() {
            case "utility", "invention": current?.kind = .patent
            case "utility model": current?.kind = .utilityModel
            case "design": current?.kind = .design
            case "provisional": current?.kind = .provisional
            default: break
            }
        case "ApplicationIdentification":
            guard let number else { return }
            let application = RegisterApplication(office: office, number: number, date: date)
            if path.contains("ParentDocument") {
                if path.contains("PCTDocumentParent") {
                    current?.pctApplication = application
                } else {
                    current?.parent = application
                }
            } else if path.contains("InternationalFilingData") {
                current?.pctApplication = application
                current?.elements["pct-application"] = path.description
            } else if !path.contains("RelatedDocumentBag") {
                current?.application = application
                current?.elements["application"] = path.description
            }
        case "PatentPublicationIdentification":
            guard let number else { return }
            let publication = RegisterPublication(number: number, kindCode: kindCode, date: date)
            if path.contains("InternationalPublishingData") {
                current?.pctPublication = publication
            } else if !path.contains("RelatedDocumentBag") || path.contains("RelatedPublication") {
                current?.publications.append(publication)
                current?.elements["publication \(number)"] = path.description
            }
        case "PatentGrantIdentification":
            if let number { current?.grantNumber = number }
            if let date { current?.grantDate = date }
            current?.elements["grant"] = path.description
        case "PriorityClaim":
            if let number {
                current?.priorities.append(RegisterApplication(office: office, number: number, date: date))
                let position = current?.priorities.count ?? 0
                current?.elements["priority \(position)"] = path.description
            }
        case "FirstName", "MiddleName", "LastName", "EntityName", "OrganizationStandardName":
            if !text.isEmpty { self.name.append(text) }
        case "CountryCode": country = text
        case "Applicant", "Inventor", "RegisteredPractitioner":
            let role: RegisterParty.Role = name == "Applicant" ? .applicant : name == "Inventor" ? .inventor : .agent
            if !self.name.isEmpty {
                current?.parties.append(RegisterParty(role: role, name: self.name.joined(separator: " "), country: country))
            }
        case "Section", "Class", "Subclass", "MainGroup", "Subgroup":
            if path.contains("IPCRClassification") { ipcParts[name] = text }
        case "IPCRClassification":
            let symbol = "\(ipcParts["Section"] ?? "")\(ipcParts["Class"] ?? "")\(ipcParts["Subclass"] ?? "") "
                + "\(Int(ipcParts["MainGroup"] ?? "") ?? 0)/\(ipcParts["Subgroup"] ?? "")"
            if let parsed = IPCSymbol(symbol), !(current?.ipc.contains(parsed) ?? true) { current?.ipc.append(parsed) }
        case "PatentClassificationText":
            if path.contains("IPCRClassificationBag") || path.contains("IPCClassificationBag"),
                let parsed = IPCSymbol(text), !(current?.ipc.contains(parsed) ?? true)
            {
                current?.ipc.append(parsed)
            }
        case "InventionTitle":
            if !text.isEmpty, current?.titles[titleLanguage] == nil { current?.titles[titleLanguage] = text }
        case "PCTNationalPhaseEntryDate":
            if let day = try? CivilDate(iso: String(text.prefix(10))) {
                let entered = current?.application?.office?.code
                current?.events.append(
                    RegisterEvent(.nationalPhaseEntered, on: day, reference: entered, source: source(path)))
            }
        default: break
        }
    }

    /// Derives the events of a finished document from its dates and hands it on.
    private func finish(_ path: XMLPath) {
        guard var record = current.take() else { return }
        RegisterRecord.deriveBibliographicEvents(&record, at: source(path))
        count += 1
        emit(record)
    }
}

extension RegisterRecord {
    /// The events its bibliographic dates say happened: filed, priority claims, PCT filing,
    /// publications (the first of each kind), grant. Each carries `at` with the field it came from.
    static func deriveBibliographicEvents(_ record: inout RegisterRecord, at source: RegisterSource) {
        let elements = record.elements
        func at(_ field: String) -> RegisterSource {
            RegisterSource(
                file: source.file, format: source.format, element: elements[field] ?? (source.element + "/" + field))
        }
        var events: [RegisterEvent] = []
        if let application = record.application, let day = application.date {
            events.append(RegisterEvent(.filed, on: day, reference: application.number, source: at("application")))
        }
        for (index, claim) in record.priorities.enumerated() {
            guard let day = claim.date else { continue }
            let reference = [claim.office?.code, claim.number].compactMap { $0 }.joined(separator: " ")
            events.append(RegisterEvent(.priority, on: day, reference: reference, source: at("priority \(index + 1)")))
        }
        if let pct = record.pctApplication, let day = pct.date {
            events.append(RegisterEvent(.pctFiled, on: day, reference: pct.number, source: at("pct-application")))
        }
        if let first = record.publications.filter({ !$0.isGrant }).compactMap({ p in p.date.map { (p, $0) } })
            .min(by: { $0.1 < $1.1 })
        {
            events.append(
                RegisterEvent(.published, on: first.1, reference: first.0.number, source: at("publication \(first.0.number)")))
        }
        let grantPublication = record.publications.first(where: \.isGrant)
        let grant = record.grantDate ?? grantPublication?.date
        if let grant {
            let number = record.grantNumber ?? grantPublication?.number
            // The grant's own element, else the grant publication's (a B document read as the grant).
            let field = record.grantDate == nil && elements["grant"] == nil ? grantPublication.map { "publication \($0.number)" } : nil
            record.grantDate = grant
            record.grantNumber = number
            events.append(RegisterEvent(.granted, on: grant, reference: number, source: at(field.flatMap { elements[$0] == nil ? nil : $0 } ?? "grant")))
        }
        record.events = (events + record.events).sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
    }
}
