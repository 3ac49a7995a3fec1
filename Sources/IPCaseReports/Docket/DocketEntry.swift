import Foundation
import IPCase

/// One deadline as an attorney's docket shows it: what is due for which right, by when, who is
/// responsible, and why. The CLI fills it from the store (or from the engine for "what if").
///
/// ```swift
/// let entry = DocketEntry(
///     key: DocketEntry.key(office: 1, right: 42, ruleID: "EP.renewal", trigger: "filed-2023-03-14", year: "5"),
///     office: 1, jurisdiction: .european, rightKind: .patent, rightReference: "EP-2023-01",
///     applicationNumber: "23712345.6", title: "Sorbent", type: "renewal", year: "5",
///     ruleID: "EP.renewal", due: try CivilDate(iso: "2027-03-31"))
/// entry.urgency(asOf: try CivilDate(iso: "2027-03-28"))   // .dueWithinWeek
/// ```
public struct DocketEntry: Hashable, Sendable, Codable {
    /// Where a deadline stands (the store's `deadlines.status`).
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Still to be met.
        case open = "open"
        /// Met (the act was done).
        case done = "done"
        /// Deliberately not met (the client let it go), with a reason.
        case waived = "waived"
        /// The final date passed without the act.
        case missed = "missed"
        /// Replaced by a recomputation (its trigger or rule changed).
        case superseded = "superseded"

        /// Whether the deadline still needs action.
        public var isOpen: Bool {
            switch self {
            case .open: true
            case .done, .waived, .missed, .superseded: false
            }
        }
    }

    /// Whether the rule behind a deadline has been reviewed by an attorney.
    public enum RuleStatus: String, Hashable, Sendable, Codable, CaseIterable {
        case confirmed = "confirmed"
        /// Not yet reviewed, or rolled past a closed day that is not confirmed: check by hand.
        case unconfirmed = "unconfirmed"
    }

    /// How pressing a deadline is on a given day; chooses its color in the table.
    public enum Urgency: String, Hashable, Sendable, Codable, CaseIterable {
        /// Open and its due date has passed (it may still be in grace), or missed.
        case overdue = "overdue"
        /// Open and due today or within 7 days.
        case dueWithinWeek = "due-within-7-days"
        /// Open and due within 8 to 30 days.
        case dueWithinMonth = "due-within-30-days"
        /// Open and due later.
        case later = "later"
        /// Done, waived or superseded.
        case closed = "closed"
    }

    /// The database key, for `ipcase deadlines done ID`; `nil` for a computed ("what if") deadline.
    public var id: Int64?
    /// The stable identity across recomputations (office, subject, rule, trigger, year); see ``key(office:right:agreement:project:ruleID:trigger:year:)``.
    public var key: String
    /// The office whose docket holds it.
    public var office: ID<Office>
    /// The office's name, when known.
    public var officeName: String?
    /// The granting office or route of the right; `nil` for a contractual obligation.
    public var jurisdiction: Jurisdiction?
    /// The kind of right; `nil` for a contractual obligation.
    public var rightKind: RightKind?
    /// The docket reference of the right (or of the agreement or funded project for an
    /// obligation), e.g. `KZ-2024-003`.
    public var rightReference: String
    /// The application number given by the office.
    public var applicationNumber: String?
    /// The title of the invention, design or mark (or of the agreement or project).
    public var title: String
    /// The deadline type's stable spelling, e.g. `renewal`, `national_phase`, `royalty_report`.
    public var type: String
    /// The fee year for recurring deadlines, e.g. `5` or `3.5`.
    public var year: String?
    /// The rule id, e.g. `EP.renewal`.
    public var ruleID: String
    /// The last day to act.
    public var due: CivilDate
    /// The end of the grace period or extension limit, if any.
    public var final: CivilDate?
    /// The first day the act may be done, where the law sets one.
    public var windowOpens: CivilDate?
    /// Where the deadline stands.
    public var status: Status
    /// Whether it is a statutory time limit (rather than an internal or contractual one).
    public var statutory: Bool
    /// The responsible attorney's name.
    public var attorneyName: String?
    /// The responsible attorney's e-mail address.
    public var attorneyEmail: String?
    /// The legal citation, e.g. `EPC Art. 86(1), Rule 51(1)`.
    public var citation: String
    /// Whether the rule has been reviewed.
    public var ruleStatus: RuleStatus
    /// The one-line derivation of the dates.
    public var explanation: String
    /// The derivation in a reader's language, its quoted parts (citations, notes, holiday names)
    /// marked, when it was rendered on demand with a phrasebook; `nil` otherwise (then
    /// ``explanation`` is the English line). Not part of the JSON, CSV or calendar outputs.
    public var localizedExplanation: Explanation?
    /// A revision number that grows when the deadline's dates or status change (the store's
    /// `version`); it becomes the calendar event's SEQUENCE so clients take the update.
    public var revision: Int
    /// Who verified the dates (a second person), for a stored deadline; `nil` until someone has.
    public var verifiedBy: String?
    /// When it was verified.
    public var verifiedAt: Date?

    /// The due and final dates the deadline had before a recomputation moved them (a calendar
    /// override, a release with other rules, events recorded), and why; `nil` if it never moved.
    public var movedFromDue: CivilDate?
    /// The final date before the move.
    public var movedFromFinal: CivilDate?
    /// Why it moved, e.g. "KZ closed 2027-01-04 by Government decree No. 1, entered by alice".
    public var movedReason: String?

    /// "moved from 2027-01-04 (KZ closed 2027-01-04 by …)" for an open deadline that moved.
    public var movedNote: String? {
        guard status.isOpen, let from = movedFromDue else { return nil }
        var text = "moved from \(from)"
        if let final = movedFromFinal, let now = self.final, final != now, final != from {
            text += " (final \(final))"
        }
        if let reason = movedReason { text += " — \(reason)" }
        return text
    }

    /// Whether this is a stored open deadline no second person has verified yet.
    public var needsVerification: Bool { id != nil && status.isOpen && verifiedBy == nil }

    /// Creates an entry; by default open, statutory, confirmed, revision 0.
    public init(
        id: Int64? = nil, key: String, office: ID<Office>, officeName: String? = nil,
        jurisdiction: Jurisdiction? = nil, rightKind: RightKind? = nil, rightReference: String,
        applicationNumber: String? = nil, title: String, type: String, year: String? = nil,
        ruleID: String, due: CivilDate, final: CivilDate? = nil, windowOpens: CivilDate? = nil,
        status: Status = .open, statutory: Bool = true, attorneyName: String? = nil,
        attorneyEmail: String? = nil, citation: String = "", ruleStatus: RuleStatus = .confirmed,
        explanation: String = "", revision: Int = 0, verifiedBy: String? = nil, verifiedAt: Date? = nil
    ) {
        self.verifiedBy = verifiedBy
        self.verifiedAt = verifiedAt
        self.id = id
        self.key = key
        self.office = office
        self.officeName = officeName
        self.jurisdiction = jurisdiction
        self.rightKind = rightKind
        self.rightReference = rightReference
        self.applicationNumber = applicationNumber
        self.title = title
        self.type = type
        self.year = year
        self.ruleID = ruleID
        self.due = due
        self.final = final
        self.windowOpens = windowOpens
        self.status = status
        self.statutory = statutory
        self.attorneyName = attorneyName
        self.attorneyEmail = attorneyEmail
        self.citation = citation
        self.ruleStatus = ruleStatus
        self.explanation = explanation
        self.revision = revision
    }

    /// The canonical key of a deadline: office, subject (right, agreement or project), rule, trigger and
    /// year joined by `_`, each part limited to `A–Z a–z 0–9 . -` (anything else percent-encoded),
    /// so different deadlines never share a key and the key is safe in a calendar UID.
    ///
    /// `key(office: 1, right: 42, ruleID: "EP.renewal", trigger: "filed-2023-03-14", year: "5")`
    /// is `o1_r42_EP.renewal_filed-2023-03-14_y5`.
    public static func key(
        office: ID<Office>, right: ID<Right>? = nil, agreement: ID<Agreement>? = nil,
        project: ID<FundedProject>? = nil, ruleID: String, trigger: String, year: String? = nil
    ) -> String {
        var parts = ["o\(office.rawValue)"]
        if let right { parts.append("r\(right.rawValue)") }
        if let agreement { parts.append("a\(agreement.rawValue)") }
        if let project { parts.append("p\(project.rawValue)") }
        parts.append(safeKeyPart(ruleID))
        parts.append(safeKeyPart(trigger))
        if let year { parts.append("y" + safeKeyPart(year)) }
        return parts.joined(separator: "_")
    }

    /// `text` with every byte outside `A–Z a–z 0–9 . -` written as `%XX`.
    static func safeKeyPart(_ text: String, keeping extra: Set<UInt8> = []) -> String {
        var out = ""
        for byte in text.utf8 {
            let isSafe =
                (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
                || byte == 46 || byte == 45 || extra.contains(byte)
            if isSafe {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// The right as attorneys name it: jurisdiction and application number (`KZ 2024/0123.1`),
    /// else jurisdiction and docket reference, else the reference alone.
    public var rightLabel: String {
        switch (jurisdiction, applicationNumber) {
        case (let jurisdiction?, let number?) where !number.isEmpty: "\(jurisdiction.code) \(number)"
        case (let jurisdiction?, _): "\(jurisdiction.code) \(rightReference)"
        case (nil, _): rightReference
        }
    }

    /// The type in words with its year (a royalty report's period, a project report's stage),
    /// e.g. `renewal year 5`, `national phase`, `royalty report period 3`, `stage report stage 2`.
    public var typeLabel: String { ObligationDeadline.words(type: type, year: year) }

    /// Days from `asOf` to the due date (negative when it has passed).
    public func daysLeft(asOf: CivilDate) -> Int { asOf.days(to: due) }

    /// How pressing the deadline is on `asOf`.
    public func urgency(asOf: CivilDate) -> Urgency {
        switch status {
        case .done, .waived, .superseded: return .closed
        case .missed: return .overdue
        case .open:
            let days = daysLeft(asOf: asOf)
            if days < 0 { return .overdue }
            if days <= 7 { return .dueWithinWeek }
            if days <= 30 { return .dueWithinMonth }
            return .later
        }
    }

    /// Whether it is open, its due date has passed, and a grace period or extension still runs on `asOf`.
    public func isInGrace(asOf: CivilDate) -> Bool {
        guard status.isOpen, due < asOf, let final else { return false }
        return asOf <= final
    }

    enum CodingKeys: String, CodingKey {
        case id
        case key
        case office
        case officeName = "office_name"
        case jurisdiction
        case rightKind = "right_kind"
        case rightReference = "right_reference"
        case rightLabel = "right_label"
        case applicationNumber = "application_number"
        case title
        case type
        case year
        case ruleID = "rule_id"
        case due
        case final
        case windowOpens = "window_opens"
        case status
        case statutory
        case attorneyName = "attorney_name"
        case attorneyEmail = "attorney_email"
        case citation
        case ruleStatus = "rule_status"
        case explanation
        case revision
        case verifiedBy = "verified_by"
        case verifiedAt = "verified_at"
        case movedFromDue = "moved_from_due"
        case movedFromFinal = "moved_from_final"
        case movedReason = "moved_reason"
        case daysLeft = "days_left"
        case urgency
        case inGrace = "in_grace"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decodeIfPresent(Int64.self, forKey: .id),
            key: try container.decode(String.self, forKey: .key),
            office: try container.decode(ID<Office>.self, forKey: .office),
            officeName: try container.decodeIfPresent(String.self, forKey: .officeName),
            jurisdiction: try container.decodeIfPresent(Jurisdiction.self, forKey: .jurisdiction),
            rightKind: try container.decodeIfPresent(RightKind.self, forKey: .rightKind),
            rightReference: try container.decode(String.self, forKey: .rightReference),
            applicationNumber: try container.decodeIfPresent(String.self, forKey: .applicationNumber),
            title: try container.decode(String.self, forKey: .title),
            type: try container.decode(String.self, forKey: .type),
            year: try container.decodeIfPresent(String.self, forKey: .year),
            ruleID: try container.decode(String.self, forKey: .ruleID),
            due: try container.decode(CivilDate.self, forKey: .due),
            final: try container.decodeIfPresent(CivilDate.self, forKey: .final),
            windowOpens: try container.decodeIfPresent(CivilDate.self, forKey: .windowOpens),
            status: try container.decode(Status.self, forKey: .status),
            statutory: try container.decodeIfPresent(Bool.self, forKey: .statutory) ?? true,
            attorneyName: try container.decodeIfPresent(String.self, forKey: .attorneyName),
            attorneyEmail: try container.decodeIfPresent(String.self, forKey: .attorneyEmail),
            citation: try container.decodeIfPresent(String.self, forKey: .citation) ?? "",
            ruleStatus: try container.decodeIfPresent(RuleStatus.self, forKey: .ruleStatus) ?? .confirmed,
            explanation: try container.decodeIfPresent(String.self, forKey: .explanation) ?? "",
            revision: try container.decodeIfPresent(Int.self, forKey: .revision) ?? 0)
        verifiedBy = try container.decodeIfPresent(String.self, forKey: .verifiedBy)
        verifiedAt = try container.decodeIfPresent(String.self, forKey: .verifiedAt).flatMap {
            ISO8601DateFormatter().date(from: $0)
        }
        movedFromDue = try container.decodeIfPresent(CivilDate.self, forKey: .movedFromDue)
        movedFromFinal = try container.decodeIfPresent(CivilDate.self, forKey: .movedFromFinal)
        movedReason = try container.decodeIfPresent(String.self, forKey: .movedReason)
    }

    /// Encodes every field with snake_case keys; nil fields are written as `null` so every entry has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try encodeFields(into: &container)
    }

    func encodeFields(into container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode(id, forKey: .id)
        try container.encode(key, forKey: .key)
        try container.encode(office, forKey: .office)
        try container.encode(officeName, forKey: .officeName)
        try container.encode(jurisdiction, forKey: .jurisdiction)
        try container.encode(rightKind, forKey: .rightKind)
        try container.encode(rightReference, forKey: .rightReference)
        try container.encode(rightLabel, forKey: .rightLabel)
        try container.encode(applicationNumber, forKey: .applicationNumber)
        try container.encode(title, forKey: .title)
        try container.encode(type, forKey: .type)
        try container.encode(year, forKey: .year)
        try container.encode(ruleID, forKey: .ruleID)
        try container.encode(due, forKey: .due)
        try container.encode(final, forKey: .final)
        try container.encode(windowOpens, forKey: .windowOpens)
        try container.encode(status, forKey: .status)
        try container.encode(statutory, forKey: .statutory)
        try container.encode(attorneyName, forKey: .attorneyName)
        try container.encode(attorneyEmail, forKey: .attorneyEmail)
        try container.encode(citation, forKey: .citation)
        try container.encode(ruleStatus, forKey: .ruleStatus)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(revision, forKey: .revision)
        try container.encode(verifiedBy, forKey: .verifiedBy)
        try container.encode(verifiedAt.map { ISO8601DateFormatter().string(from: $0) }, forKey: .verifiedAt)
        try container.encode(movedFromDue, forKey: .movedFromDue)
        try container.encode(movedFromFinal, forKey: .movedFromFinal)
        try container.encode(movedReason, forKey: .movedReason)
    }
}
