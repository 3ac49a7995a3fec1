import Foundation
import IPCase

/// Reads the EPO's Open Patent Services (OPS) published-data XML (`ops:world-patent-data`):
///
/// - bibliographic data (`exchange-documents/exchange-document`): one record per document, with
///   its publication, application, priority claims (the PCT application and a parent told apart
///   by their DOCDB priority linkage), applicants and inventors, IPC symbols, titles and family;
/// - the family (`ops:patent-family/ops:family-member`): one record per member, with its
///   publication, application, priorities and family (and its bibliographic data when the
///   family was asked for with it);
/// - the legal status (`ops:legal` under each family member): INPADOC codes mapped to docket
///   events by ``LegalStatusCodes``; codes it does not map are kept in `RegisterRecord.unmapped`.
///
/// Document numbers are taken in DOCDB form where given (else epodoc, else as filed); a party's
/// name as filed (`original`) is preferred, its country from the DOCDB form.
///
/// Not read: abstracts, citations, CPC and national classifications, images, full text.
final class OPSReader: XMLElementConsumer {
    /// A `document-id` of one type, as read.
    private struct DocumentID {
        var country: String?
        var number: String?
        var kind: String?
        var date: CivilDate?
    }

    /// A party in each of its data formats.
    private struct Party {
        var role: RegisterParty.Role
        var names: [String: String] = [:]
        var country: String?
    }

    let file: String
    /// The format of family-member records (`.opsFamily` or `.opsLegal`).
    let format: RegisterFormat
    let table: LegalStatusCodes
    /// How many records it has handed on.
    private(set) var count = 0
    private var current: RegisterRecord?
    private var recordFormat: RegisterFormat = .opsBiblio
    private var recordDepth = 0
    /// The exchange document's own publication, from its attributes.
    private var documentPublication: RegisterPublication?
    /// The reference being read: its document ids by type, and a priority's linkage.
    private var ids: [String: DocumentID] = [:]
    private var idType = "docdb"
    private var id = DocumentID()
    private var linkage: String?
    private var parties: [Party] = []
    private var partyKeys: [String: Int] = [:]
    private var party: (key: String, role: RegisterParty.Role, format: String)?
    private var partyName: String?
    private var partyCountry: String?
    private var legalFields: [String: String] = [:]
    private var legalDescriptions: [String: String] = [:]
    private let emit: (RegisterRecord) -> Void

    init(
        file: String, format: RegisterFormat, table: LegalStatusCodes,
        emit: @escaping (RegisterRecord) -> Void
    ) {
        self.file = file
        self.format = format
        self.table = table
        self.emit = emit
    }

    func source(_ path: XMLPath) -> RegisterSource {
        RegisterSource(file: file, format: recordFormat, element: path.description)
    }

    func opened(_ name: String, attributes: [String: String], path: XMLPath) {
        if current == nil {
            guard name == "exchange-document" || name == "family-member" else { return }
            recordFormat = name == "family-member" ? format : .opsBiblio
            var record = RegisterRecord(
                source: RegisterSource(file: file, format: recordFormat, element: path.description))
            record.familyID = attributes["family-id"]
            current = record
            recordDepth = path.names.count
            (parties, partyKeys, documentPublication) = ([], [:], nil)
            if name == "exchange-document" { readDocumentAttributes(attributes) }
            return
        }
        switch name {
        case "exchange-document":
            if current?.familyID == nil { current?.familyID = attributes["family-id"] }
            readDocumentAttributes(attributes)
        case "publication-reference", "application-reference", "priority-claim":
            (ids, linkage) = ([:], nil)
        case "document-id":
            idType = attributes["document-id-type"] ?? "docdb"
            id = DocumentID()
        case "applicant", "inventor":
            let role: RegisterParty.Role = name == "applicant" ? .applicant : .inventor
            party = (
                "\(name)#\(attributes["sequence"] ?? "\(parties.count + 1)")", role,
                attributes["data-format"] ?? "docdb"
            )
            (partyName, partyCountry) = (nil, nil)
        case "legal":
            (legalFields, legalDescriptions) = ([:], [:])
        default: break
        }
    }

    private func readDocumentAttributes(_ attributes: [String: String]) {
        guard let number = attributes["doc-number"] else { return }
        documentPublication = RegisterPublication(
            number: (attributes["country"] ?? "") + number, kindCode: attributes["kind"])
    }

    func closed(_ name: String, text: String, attributes: [String: String], path: XMLPath) {
        guard current != nil else { return }
        if path.names.count == recordDepth {
            finish(path)
            return
        }
        // Citations name other documents: skip them.
        guard !path.contains("references-cited"), !path.contains("citation") else { return }
        if path.contains("legal") {
            closedLegal(name, text: text, attributes: attributes, path: path)
            return
        }
        switch name {
        case "country":
            if path.contains("residence") { partyCountry = text } else { id.country = text }
        case "doc-number": id.number = text
        case "kind": id.kind = text
        case "date": id.date = CivilDate(register: text)
        case "document-id": ids[idType] = id
        case "priority-linkage-type": linkage = text
        case "publication-reference":
            guard let best = best(), let number = best.number else { return }
            let publication = RegisterPublication(
                number: number.hasPrefix(best.country ?? "\u{0}") ? number : (best.country ?? "") + number,
                kindCode: best.kind, date: date())
            if !(current?.publications.contains(publication) ?? true) {
                current?.publications.append(publication)
                current?.elements["publication \(publication.number)"] = path.description
            }
        case "application-reference":
            guard current?.application == nil, let application = application() else { return }
            current?.application = application
            current?.elements["application"] = path.description
        case "priority-claim":
            guard let application = application() else { return }
            readPriority(application, at: path)
        case "name":
            if party != nil, !text.isEmpty { partyName = text }
        case "applicant", "inventor":
            guard let party, let partyName else { return }
            let position: Int
            if let known = partyKeys[party.key] {
                position = known
            } else {
                position = parties.count
                partyKeys[party.key] = position
                parties.append(Party(role: party.role))
            }
            parties[position].names[party.format] = partyName
            if let partyCountry { parties[position].country = partyCountry }
            self.party = nil
        case "text":
            if path.ends(with: "classification-ipcr", "text")
                || path.ends(with: "classification-ipc", "text")
            {
                if let symbol = Self.ipc(text), !(current?.ipc.contains(symbol) ?? true) {
                    current?.ipc.append(symbol)
                }
            }
        case "invention-title":
            let language = attributes["lang"]?.lowercased() ?? "und"
            if !text.isEmpty, current?.titles[language] == nil { current?.titles[language] = text }
        default: break
        }
    }

    /// The reference's best document id: DOCDB, else epodoc, else as filed.
    private func best() -> DocumentID? { ids["docdb"] ?? ids["epodoc"] ?? ids["original"] }

    /// The reference's date, from whichever document id gives one.
    private func date() -> CivilDate? {
        ids["docdb"]?.date ?? ids["epodoc"]?.date ?? ids["original"]?.date
    }

    /// The application a reference names: the office from the DOCDB country (or an epodoc
    /// number's prefix), the number as DOCDB writes it.
    private func application() -> RegisterApplication? {
        guard var best = best(), var number = best.number, !number.isEmpty else { return nil }
        if best.country == nil, ids["docdb"] == nil, ids["epodoc"] != nil, number.count > 2,
            let office = Jurisdiction(String(number.prefix(2)))
        {
            best.country = office.code
            number.removeFirst(2)
        }
        return RegisterApplication(
            office: best.country.flatMap(Jurisdiction.init), number: number, date: date())
    }

    /// A priority claim: a PCT application (DOCDB kind `W` or linkage `W`) is the PCT route, a
    /// division's or continuation's parent (linkage `3`, `1`, `2`) the parent; any other claim a priority.
    private func readPriority(_ claim: RegisterApplication, at path: XMLPath) {
        let kind = best()?.kind?.uppercased()
        if linkage == "W" || kind == "W" || claim.office == .pct {
            guard current?.pctApplication == nil else { return }
            let raw = (claim.office?.code ?? "") + claim.number
            let number = RegisterNumbers.pctForm(raw) ?? raw
            current?.pctApplication = RegisterApplication(office: .pct, number: number, date: claim.date)
            current?.elements["pct-application"] = path.description
        } else if let linkage, ["1", "2", "3"].contains(linkage) {
            if current?.parent == nil { current?.parent = claim }
        } else if !(current?.priorities.contains(where: {
            $0.office == claim.office && $0.number == claim.number
        }) ?? true) {
            current?.priorities.append(claim)
            let position = current?.priorities.count ?? 0
            current?.elements["priority \(position)"] = path.description
        }
    }

    /// An `ops:legal` element's fields (`L001EP` …), and when it closes, its event or kept code.
    private func closedLegal(
        _ name: String, text: String, attributes: [String: String], path: XMLPath
    ) {
        if name.hasPrefix("L"), name.hasSuffix("EP") {
            legalFields[name] = text
            if let description = attributes["descData"] { legalDescriptions[name] = description }
            return
        }
        guard name == "legal" else { return }
        var code = (attributes["code"] ?? legalFields["L008EP"] ?? "").trimmingCharacters(
            in: .whitespaces)
        var office = legalFields["L001EP"]
        var description = attributes["desc"]
        if code == "REG", let national = legalFields["L502EP"], !national.isEmpty {
            code = "REG/\(national)"
            office = legalFields["L501EP"]
            description = legalDescriptions["L502EP"] ?? description
        }
        guard !code.isEmpty else { return }
        current?.addStatus(
            .inpadoc, code: code, office: office, fields: legalFields, description: description,
            fallbackDate: legalFields["L007EP"].flatMap(CivilDate.init(register:)),
            fallbackReference: legalFields["L501EP"], table: table, source: source(path))
    }

    /// An OPS IPC text, `C02F   1/28        20060101AFI…` or `B28B   1/    00            A I`.
    static func ipc(_ text: String) -> IPCSymbol? {
        let tokens = text.split(separator: " ")
        guard let subclass = tokens.first else { return nil }
        var group = ""
        for token in tokens.dropFirst() {
            group += token
            if let slash = group.firstIndex(of: "/"), group.index(after: slash) < group.endIndex { break }
        }
        guard let slash = group.firstIndex(of: "/") else { return IPCSymbol(String(subclass)) }
        let main = group[..<slash]
        let sub = group[group.index(after: slash)...].prefix { $0.isASCIIDigit }
        return IPCSymbol("\(subclass) \(main)/\(sub)")
    }

    private func finish(_ path: XMLPath) {
        guard var record = current.take() else { return }
        if record.publications.isEmpty, let documentPublication {
            record.publications.append(documentPublication)
        }
        for party in parties {
            var name = party.names["original"] ?? party.names["docdb"] ?? party.names["epodoc"] ?? ""
            var country = party.country
            // epodoc writes the country after the name: "ALATAU TECH UNIV [KZ]".
            if party.names["original"] == nil, party.names["docdb"] == nil, name.hasSuffix("]"),
                let open = name.lastIndex(of: "[")
            {
                country =
                    country ?? String(name[name.index(after: open)..<name.index(before: name.endIndex)])
                name = String(name[..<open]).trimmingCharacters(in: .whitespaces)
            }
            guard !name.isEmpty else { continue }
            record.parties.append(RegisterParty(role: party.role, name: name, country: country))
        }
        RegisterRecord.deriveBibliographicEvents(&record, at: source(path))
        count += 1
        emit(record)
    }
}
