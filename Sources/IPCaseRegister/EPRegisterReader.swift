import IPCase

/// Reads the European Patent Register's XML (`reg:register-documents/reg:register-document`, as
/// the OPS register service gives it, with or without `ops:register-search` around it): one
/// record per document, with its application, publications (A and B), priority claims, the PCT
/// application and publication it entered through, applicants, inventors and agents, IPC symbols,
/// titles, designated states, lapses in contracting states (`reg:term-of-grant`) and procedural
/// steps (`reg:procedural-step`), each step mapped to a docket event by ``LegalStatusCodes``
/// (office `EP`) or kept in `RegisterRecord.unmapped`.
///
/// The register repeats a changed element with its gazette number, the newest first: only the
/// first applicants, inventors, agents, priority claims, IPC, designations and term of grant are read.
///
/// Not read: dossier events (`reg:events-data`), EP patent statuses, opposition and appeal data,
/// citations, licences, the unitary patent; addresses other than the country.
final class EPRegisterReader: XMLElementConsumer {
    static let documentElement = "register-document"

    let file: String
    let table: LegalStatusCodes
    /// How many records it has handed on.
    private(set) var count = 0
    private var current: RegisterRecord?
    private var recordDepth = 0
    private var country: String?
    private var number: String?
    private var kind: String?
    private var date: CivilDate?
    private var name: String?
    private var code: String?
    private var fields: [String: String] = [:]
    private var firstDate: CivilDate?
    private var dateType: String?
    private let emit: (RegisterRecord) -> Void

    init(file: String, table: LegalStatusCodes, emit: @escaping (RegisterRecord) -> Void) {
        self.file = file
        self.table = table
        self.emit = emit
    }

    func source(_ path: XMLPath) -> RegisterSource {
        RegisterSource(file: file, format: .epRegister, element: path.description)
    }

    /// Whether every element of `names` on the path is the first of its name among its siblings
    /// (the newest version of a repeated register entry).
    private func newest(_ path: XMLPath, _ names: String...) -> Bool {
        zip(path.names, path.positions).allSatisfy { !names.contains($0.0) || $0.1 == 1 }
    }

    func opened(_ name: String, attributes: [String: String], path: XMLPath) {
        if name == Self.documentElement, current == nil {
            current = RegisterRecord(source: source(path))
            recordDepth = path.names.count
            return
        }
        guard current != nil else { return }
        switch name {
        case "document-id", "priority-claim", "lapsed-in-country", "request-for-examination":
            (country, number, kind, date) = (nil, nil, nil, nil)
        case "applicant", "inventor", "agent":
            (self.name, country) = (nil, nil)
        case "procedural-step":
            (code, fields, firstDate) = (nil, [:], nil)
        case "procedural-step-date":
            dateType = attributes["step-date-type"]
        default: break
        }
    }

    func closed(_ name: String, text: String, attributes: [String: String], path: XMLPath) {
        guard current != nil else { return }
        if path.names.count == recordDepth {
            finish(path)
            return
        }
        guard !path.contains("references-cited"), !path.contains("events-data"),
            !path.contains("opposition-data")
        else { return }
        if path.contains("procedural-step") {
            closedStep(name, text: text, attributes: attributes, path: path)
            return
        }
        switch name {
        case "country":
            if path.contains("designation-of-states") {
                guard newest(path, "designation-of-states"), !path.contains("region"),
                    !path.contains("exclusion-from-designation"),
                    !(current?.designatedStates.contains(text) ?? true)
                else { return }
                current?.designatedStates.append(text)
            } else {
                country = text
            }
        case "doc-number": number = text
        case "kind": kind = text
        case "date": date = CivilDate(register: text)
        case "name": self.name = text
        case "document-id":
            guard let number, !number.isEmpty else { return }
            let office = country.flatMap(Jurisdiction.init)
            if path.contains("application-reference") {
                guard current?.application == nil else { return }
                current?.application = RegisterApplication(office: office, number: number, date: date)
                current?.elements["application"] = path.description
            } else if path.contains("publication-reference") {
                let publication = RegisterPublication(
                    number: (country ?? "") + number, kindCode: kind, date: date)
                if !(current?.publications.contains(publication) ?? true) {
                    current?.publications.append(publication)
                    current?.elements["publication \(publication.number)"] = path.description
                }
            } else if path.contains("pct-or-regional-filing-data") {
                // `KZ2023050007` (the register's form) or `WO2023KZ050007` (DOCDB's).
                let pct =
                    RegisterNumbers.pctForm(number) ?? RegisterNumbers.pctForm("WO" + number) ?? number
                current?.pctApplication = RegisterApplication(office: .pct, number: pct, date: date)
                current?.elements["pct-application"] = path.description
            } else if path.contains("pct-or-regional-publishing-data") {
                current?.pctPublication = RegisterPublication(number: number, kindCode: kind, date: date)
            }
        case "priority-claim":
            guard newest(path, "priority-claims"), let number else { return }
            current?.priorities.append(
                RegisterApplication(office: country.flatMap(Jurisdiction.init), number: number, date: date))
            let position = current?.priorities.count ?? 0
            current?.elements["priority \(position)"] = path.description
        case "applicant", "inventor", "agent":
            guard newest(path, "applicants", "inventors", "agents"), let partyName = self.name,
                !partyName.isEmpty
            else { return }
            let role: RegisterParty.Role =
                name == "applicant" ? .applicant : name == "inventor" ? .inventor : .agent
            current?.parties.append(RegisterParty(role: role, name: partyName, country: country))
        case "text":
            guard path.ends(with: "classification-ipcr", "text"), newest(path, "classifications-ipcr"),
                let symbol = OPSReader.ipc(text), !(current?.ipc.contains(symbol) ?? true)
            else { return }
            current?.ipc.append(symbol)
        case "invention-title":
            let language = attributes["lang"]?.lowercased() ?? "und"
            if !text.isEmpty, current?.titles[language] == nil { current?.titles[language] = text }
        case "lapsed-in-country":
            guard newest(path, "term-of-grant"), let country, let date else { return }
            current?.events.append(
                RegisterEvent(.lapsed, on: date, reference: country, source: source(path)))
        case "request-for-examination":
            guard path.contains("dates-rights-effective"), let date else { return }
            current?.events.append(RegisterEvent(.examinationRequested, on: date, source: source(path)))
        default: break
        }
    }

    /// A procedural step's code, texts and dates (by type), and when it closes, its event or kept code.
    private func closedStep(_ name: String, text: String, attributes: [String: String], path: XMLPath) {
        switch name {
        case "procedural-step-code": code = text
        case "procedural-step-text":
            let type = attributes["step-text-type"] ?? "STEP_DESCRIPTION"
            if fields[type] == nil { fields[type] = text }
        case "date":
            if let dateType, fields[dateType] == nil { fields[dateType] = text }
            if firstDate == nil { firstDate = CivilDate(register: text) }
        case "procedural-step":
            guard let code, !code.isEmpty else { return }
            current?.addStatus(
                .epRegister, code: code, office: "EP", fields: fields,
                description: fields["STEP_DESCRIPTION"],
                fallbackDate: firstDate, table: table, source: source(path))
        default: break
        }
    }

    private func finish(_ path: XMLPath) {
        guard var record = current.take() else { return }
        if record.application?.office == nil, let application = record.application {
            record.application = RegisterApplication(
                office: .european, number: application.number, date: application.date)
        }
        RegisterRecord.deriveBibliographicEvents(&record, at: source(path))
        // The same fact from the bibliographic data and a procedural step: keep the step's (it has the code).
        func key(_ event: RegisterEvent) -> String {
            "\(event.kind.rawValue) \(event.date) \(event.reference ?? "") \(event.year ?? 0)"
        }
        let coded = Set(record.events.filter { $0.code != nil }.map(key))
        var seen: Set<String> = []
        record.events = record.events.filter { event in
            (event.code != nil || !coded.contains(key(event))) && seen.insert(key(event)).inserted
        }
        count += 1
        emit(record)
    }
}
