import Foundation
import IPCase
import IPCaseRegister
import Testing

/// Register records against a docket built by hand: matching, merging, differences, families,
/// PCT parents, questions about parties and refusals.
@Suite("Register files compared with the docket")
struct RegisterComparisonTests {
    func date(_ text: String) -> CivilDate { try! CivilDate(iso: text) }
    let today = try! CivilDate(iso: "2026-12-07")

    func source(_ element: String, file: String = "test.xml") -> RegisterSource {
        RegisterSource(file: file, format: .opsLegal, element: element)
    }

    /// A record of `number` at `office` filed on `filed`, with `events` after the filing.
    func record(
        _ office: Jurisdiction, _ number: String, filed: String, events: [RegisterEvent] = [], file: String = "test.xml"
    ) -> RegisterRecord {
        var record = RegisterRecord(source: source("doc[1]", file: file))
        record.application = RegisterApplication(office: office, number: number, date: date(filed))
        record.events =
            [RegisterEvent(.filed, on: date(filed), reference: number, source: source("doc[1]/application", file: file))]
            + events
        return record
    }

    func right(
        _ id: ID<Right>, _ reference: String, _ office: Jurisdiction, _ number: String?, filed: String?,
        state: RightWorkflow.State = .filed, family: ID<RightFamily>? = nil, kind: RightKind = .patent,
        claims: [PriorityClaim] = []
    ) -> Right {
        Right(
            id: id, office: 1, reference: reference, title: reference, jurisdiction: office, kind: kind, family: family,
            applicationNumber: number, filingDate: filed.map(date), priorityClaims: claims, state: state)
    }

    @Test func aFeeYearPaidAtTheOfficeIsRecordedAndAnotherDayIsADifference() {
        let paid = RegisterEvent(.annuityPaid, on: date("2025-02-10"), year: 5, code: "PGFP", source: source("legal[3]"))
        let fourth = RegisterEvent(.annuityPaid, on: date("2024-02-12"), year: 4, code: "PGFP", source: source("legal[2]"))
        let stored = DocketSnapshot.Entry(
            right: right(7, "ATU-EP-01", .european, "21 812 345.6", filed: "2021-03-03", state: .granted),
            events: [
                RightEvent(.filed, on: date("2021-03-03")), RightEvent(.annuityPaid, on: date("2024-02-01"), year: 4),
            ])
        let docket = DocketSnapshot(rights: [stored], parties: [], families: [:], today: today)
        // DOCDB writes the number without its check digit.
        let plan = RegisterComparison.plan([record(.european, "EP21812345", filed: "2021-03-03", events: [fourth, paid])], against: docket)
        #expect(plan.matched == 1 && plan.count(.create) == 0)
        let record = plan.findings.filter { $0.action == .record }
        #expect(record.map(\.message) == ["register shows year 5 fee paid 2025-02-10, docket has it open: record annuity-paid year 5"])
        #expect(record.first?.source.element == "legal[3]")
        let differs = plan.findings.filter { $0.action == .differs }
        #expect(differs.map(\.message) == ["year 4 fee paid differs (register 2024-02-12 vs docket 2024-02-01)"])
        #expect(plan.steps.count == 1 && plan.steps[0].right == 7)
        #expect(plan.steps[0].step == .docket(RightEvent(.annuityPaid, on: date("2025-02-10"), year: 5)))
    }

    @Test func twoDocumentsOfOneApplicationAreOneRightCreatedWithBothFacts() {
        var publication = record(.kazakhstan, "20240405.1", filed: "2024-11-28", file: "a.xml")
        publication.titles = ["ru": "Тандемный солнечный элемент"]
        publication.events.append(
            RegisterEvent(.published, on: date("2026-05-29"), reference: "37001", source: source("pub", file: "a.xml")))
        var grant = record(.kazakhstan, "2024/0405.1", filed: "2024-11-28", file: "b.xml")
        grant.grantNumber = "37002"
        grant.events.append(
            RegisterEvent(.granted, on: date("2026-10-01"), reference: "37002", source: source("grant", file: "b.xml")))
        let docket = DocketSnapshot(rights: [], parties: [], families: [:], today: today)
        let plan = RegisterComparison.plan([publication, grant], against: docket)
        #expect(plan.documents == 2 && plan.applications == 1)
        let creation = try! #require(plan.creations.first)
        #expect(plan.creations.count == 1)
        #expect(creation.right.reference == "KZ 2024/0405.1" && creation.right.title == "Тандемный солнечный элемент")
        #expect(creation.right.applicationNumber == "2024/0405.1")
        // Filed, published, then the grant decision and allowance a Kazakh grant implies, then the grant.
        #expect(creation.steps.map(\.step.eventName) == ["filed", "published", "grant-decision", "allowed", "granted"])
        #expect(creation.steps.filter(\.implied).count == 2)
        #expect(creation.steps.last?.source.file == "b.xml")
        #expect(!plan.isRefused)
    }

    @Test func aNewRightJoinsTheFamilyOfItsPriorityAndItsPCTApplication() {
        let priority = right(3, "ATU-2022-001-KZ", .kazakhstan, "2022/0456.1", filed: "2022-03-15", family: 11)
        let pct = right(4, "ATU-2023-001-WO", .pct, "PCT/KZ2023/050007", filed: "2023-03-14", family: 11, kind: .pctApplication)
        var national = record(.eurasian, "202392345", filed: "2023-03-14")
        national.priorities = [RegisterApplication(office: .kazakhstan, number: "20220456.1", date: date("2022-03-15"))]
        national.pctApplication = RegisterApplication(office: .pct, number: "KZ2023050007", date: date("2023-03-14"))
        national.familyID = "81234567"
        let docket = DocketSnapshot(
            rights: [.init(right: priority, events: []), .init(right: pct, events: [])], parties: [],
            families: [:], today: today)
        let plan = RegisterComparison.plan([national], against: docket)
        let creation = try! #require(plan.creations.first)
        #expect(creation.family == 11 && creation.newFamily == nil)
        #expect(creation.parentPCT == 4)
        #expect(creation.right.priorityClaims == [PriorityClaim(jurisdiction: .kazakhstan, applicationNumber: "2022/0456.1", date: date("2022-03-15"))])

        // Without a stored relative, the register's family is created.
        let alone = RegisterComparison.plan([national], against: DocketSnapshot(rights: [], parties: [], families: [:], today: today))
        #expect(alone.creations.first?.newFamily == "DOCDB 81234567" && alone.creations.first?.parentPCT == nil)
    }

    @Test func aRightIsFoundByItsPublicationNumberWhenTheDocketLacksTheApplicationNumber() {
        var stored = right(9, "ATU-US-02", .unitedStates, nil, filed: "2021-05-20")
        stored.publicationNumber = "US 2022/0123456 A1"
        var record = record(.unitedStates, "16987654", filed: "2021-05-20")
        record.publications = [RegisterPublication(number: "20220123456", kindCode: "A1", date: date("2022-01-06"))]
        let plan = RegisterComparison.plan(
            [record], against: DocketSnapshot(rights: [.init(right: stored, events: [])], parties: [], families: [:], today: today))
        #expect(plan.matched == 1 && plan.creations.isEmpty)
    }

    @Test func anAlikePartyNameIsAQuestionAndTheSameNameAMatch() {
        let university = Party(id: 5, kind: .organization, name: "ТОО «Алатау технический университет»", roles: [.assignee], sector: .academia)
        let alike = Party(id: 6, kind: .organization, name: "Alatau Technical Univ.", roles: [.assignee], sector: .academia)
        let attorney = Party(id: 8, kind: .person, name: "Aizhan Utebayeva", roles: [.attorney], sector: .other)
        var record = record(.kazakhstan, "20230123.1", filed: "2023-03-14")
        record.parties = [
            RegisterParty(role: .applicant, name: "Алатау технический университет"),
            RegisterParty(role: .applicant, name: "Alatau Technical University"),
            RegisterParty(role: .agent, name: "UTEBAYEVA Aizhan"),
            RegisterParty(role: .inventor, name: "Alatau Technical Univ"),
        ]
        let plan = RegisterComparison.plan(
            [record], against: DocketSnapshot(rights: [], parties: [university, alike, attorney], families: [:], today: today))
        #expect(plan.partiesMatched == 2)
        let questions = plan.findings.filter { $0.action == .question }
        #expect(questions.count == 1)
        #expect(questions.first?.register == "Alatau Technical University" && questions.first?.docket == "Alatau Technical Univ.")
        // The agent, the same person as the attorney party, becomes the new right's attorney.
        #expect(plan.creations.first?.right.responsibleAttorney == 8)
        #expect(PartyNames.normalized("ТОО «Алатау технический университет»") == PartyNames.normalized("алатау Технический УНИВЕРСИТЕТ"))
        #expect(PartyNames.likeness("Kazakh Institute of Chemistry", "Institute of Physics") == .different)
    }

    @Test func aStepTheWorkflowRefusesIsARefusalNamingTheElement() {
        let withdrawn = right(2, "ATU-2021-009-US", .unitedStates, "16/987,654", filed: "2021-05-20", state: .withdrawn)
        let record = record(
            .unitedStates, "16987654", filed: "2021-05-20",
            events: [RegisterEvent(.published, on: date("2022-01-06"), source: source("doc[1]/publication"))])
        let plan = RegisterComparison.plan(
            [record], against: DocketSnapshot(rights: [.init(right: withdrawn, events: [])], parties: [], families: [:], today: today))
        #expect(plan.isRefused)
        let refusal = try! #require(plan.findings.first { $0.action == .refused })
        #expect(refusal.source.element == "doc[1]/publication" && refusal.message.contains("ATU-2021-009-US"))
        #expect(plan.steps.isEmpty)
        #expect(try! plan.json().contains("\"refused\" : true"))
    }

    @Test func aDocumentWithoutItsApplicationIsSkipped() {
        let plan = RegisterComparison.plan(
            [RegisterRecord(source: source("doc[4]"))], against: DocketSnapshot(rights: [], parties: [], families: [:], today: today))
        #expect(plan.count(.skipped) == 1 && plan.creations.isEmpty && !plan.isRefused)
        #expect(plan.csv().split(separator: "\r\n").count == 2)
    }

    @Test func codesThatAreNoEventsAreListedOnceAndNothingIsWritten() throws {
        let stored = DocketSnapshot.Entry(
            right: right(7, "ATU-EP-01", .european, "21 812 345.6", filed: "2021-03-03"),
            events: [RightEvent(.filed, on: date("2021-03-03"))])
        let docket = DocketSnapshot(rights: [stored], parties: [], families: [:], today: today)
        let change = RegisterStatusCode(
            code: "BECN", office: "BE", description: "BE: CHANGE OF HOLDER'S NAME", date: date("2025-06-02"),
            reason: .notInTable, source: source("legal[9]"))
        var first = record(.european, "EP21812345", filed: "2021-03-03")
        first.unmapped = [change]
        // The same code read again in another document of the application is one line.
        var second = record(.european, "EP21812345", filed: "2021-03-03", file: "other.xml")
        second.unmapped = [
            change,
            RegisterStatusCode(code: "PGFP", office: "EP", reference: "NL", reason: .undated, source: source("legal[5]")),
        ]
        let plan = RegisterComparison.plan([first, second], against: docket)
        let lines = plan.findings.filter { $0.action == .unmapped }
        #expect(
            lines.map(\.message) == [
                "register code BE BECN (BE: CHANGE OF HOLDER'S NAME, 2025-06-02): not in the legal-status table, nothing recorded",
                "register code EP PGFP (NL): no date given, nothing recorded",
            ])
        #expect(lines.map(\.right) == ["ATU-EP-01", "ATU-EP-01"])
        #expect(lines.map(\.source.element) == ["legal[9]", "legal[5]"])
        #expect(plan.steps.isEmpty && plan.creations.isEmpty && !plan.isRefused)
        #expect(plan.summary.contains("2 codes not events"))
        let json = try plan.json()
        #expect(json.contains("\"unmapped\" : 2"))
    }

    /// INPADOC's PGFP and PG25 name a contracting state: a fee paid to, or a lapse in, that state
    /// is the validation's event, recorded on the docket's right there, never on the European patent.
    @Test func aNationalEventOfAValidationGoesToTheValidationNotTheEuropeanPatent() {
        let ep = DocketSnapshot.Entry(
            right: right(7, "ATU-EP-01", .european, "21 812 345.6", filed: "2021-03-03", state: .granted, family: 3),
            events: [RightEvent(.filed, on: date("2021-03-03")), RightEvent(.granted, on: date("2024-05-08"))])
        let germany = DocketSnapshot.Entry(
            right: right(
                8, "ATU-EP-01-DE", Jurisdiction("DE")!, nil, filed: "2021-03-03", state: .granted, family: 3),
            events: [RightEvent(.granted, on: date("2024-05-08"))])
        let docket = DocketSnapshot(rights: [ep, germany], parties: [], families: [:], today: today)
        let fee = RegisterEvent(
            .annuityPaid, on: date("2025-03-12"), year: 5, reference: "DE", code: "PGFP", source: source("legal[4]"))
        let lapse = RegisterEvent(.lapsed, on: date("2025-03-14"), reference: "IT", code: "PG25", source: source("legal[7]"))
        let plan = RegisterComparison.plan(
            [record(.european, "EP21812345", filed: "2021-03-03", events: [fee, lapse])], against: docket)
        #expect(plan.steps.map(\.right) == [8])
        #expect(plan.steps.first?.step == .docket(RightEvent(.annuityPaid, on: date("2025-03-12"), year: 5, reference: "DE")))
        #expect(plan.findings.filter { $0.action == .record }.map(\.right) == ["ATU-EP-01-DE"])
        let unmapped = plan.findings.filter { $0.action == .unmapped }
        #expect(
            unmapped.map(\.message) == [
                "register shows lapsed 2025-03-14 in IT: the docket has no IT right in this right's family, nothing recorded"
            ])
        #expect(!plan.isRefused)
    }
}
