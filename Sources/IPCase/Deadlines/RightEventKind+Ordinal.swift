/// A dense index of each event kind, for the engine's fixed-size per-kind tables.
extension RightEventKind {
    /// The number of event kinds.
    @usableFromInline static let ordinalCount = 31

    /// 0 ..< ``ordinalCount``, stable within one build (not stored anywhere).
    @inlinable
    var ordinal: Int {
        switch self {
        case .filed: 0
        case .priority: 1
        case .pctFiled: 2
        case .published: 3
        case .searchReport: 4
        case .searchReportTransmitted: 5
        case .formalExaminationNotice: 6
        case .examinationRequested: 7
        case .examinationFeePaid: 8
        case .officeAction: 9
        case .responseFiled: 10
        case .extensionRequested: 11
        case .demandFiled: 12
        case .allowed: 13
        case .grantDecision: 14
        case .grantFeePaid: 15
        case .granted: 16
        case .annuityPaid: 17
        case .nationalPhaseEntered: 18
        case .nonProvisionalFiled: 19
        case .renewalRequested: 20
        case .lapsed: 21
        case .restored: 22
        case .withdrawn: 23
        case .abandoned: 24
        case .refused: 25
        case .revoked: 26
        case .expired: 27
        case .lapseRescinded: 28
        case .useDeclarationFiled: 29
        case .authorDied: 30
        }
    }

    /// Bit of this kind in a 64-bit event mask.
    @inlinable
    var bit: UInt64 { 1 << UInt64(ordinal) }
}
