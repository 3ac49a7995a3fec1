/// What happened to a right. The one vocabulary shared by the deadline rules (triggers, closing
/// events, conditions), the right workflow and the store.
///
/// Raw values are the stable spelling used in rule files, the database, CSV and `--event TYPE=DATE`.
public enum RightEventKind: String, Hashable, Sendable, Codable, CaseIterable {
    case filed = "filed"
    /// A priority claimed (its date is the priority date).
    case priority = "priority"
    /// A PCT international application filed (for rights that entered from one).
    case pctFiled = "pct-filed"
    case published = "published"
    case searchReport = "search-report"
    /// The search report and written opinion transmitted (PCT Rule 54bis.1).
    case searchReportTransmitted = "search-report-transmitted"
    case formalExaminationNotice = "formal-examination-notice"
    case examinationRequested = "examination-requested"
    case examinationFeePaid = "examination-fee-paid"
    /// A communication from the office that sets a period (office action).
    case officeAction = "office-action"
    case responseFiled = "response-filed"
    case extensionRequested = "extension-requested"
    case demandFiled = "demand-filed"
    case allowed = "allowed"
    /// Notice of the decision to grant.
    case grantDecision = "grant-decision"
    case grantFeePaid = "grant-fee-paid"
    case granted = "granted"
    /// A renewal or annuity or maintenance fee paid (with the year it covers).
    case annuityPaid = "annuity-paid"
    case nationalPhaseEntered = "national-phase-entered"
    case nonProvisionalFiled = "non-provisional-filed"
    case renewalRequested = "renewal-requested"
    case lapsed = "lapsed"
    case restored = "restored"
    case withdrawn = "withdrawn"
    case abandoned = "abandoned"
    case refused = "refused"
    case revoked = "revoked"
    case expired = "expired"
    /// A lapse recorded for a missed fee withdrawn because the fee was in fact paid in time (the
    /// payment was recorded after the lapse); the right continues as if it had not lapsed.
    case lapseRescinded = "lapse-rescinded"
    /// A declaration (affidavit) of use filed for a registered trademark (US: 15 U.S.C. 1058).
    case useDeclarationFiled = "use-declaration-filed"
    /// An author of a copyright object died (its date is the date of death): the term of a work
    /// runs from the death of the last surviving co-author.
    case authorDied = "author-died"
}
