import IPCase
import PostgresClient

/// One applied workflow event as stored in the append-only history.
public struct WorkflowHistoryEntry: Sendable, Hashable, Codable {
    /// The event's name, e.g. `start-negotiation`.
    public var event: String
    /// The state before.
    public var from: String
    /// The state after.
    public var to: String
    /// Who applied it.
    public var actor: String
    /// When it was applied, as PostgreSQL prints a `timestamptz` in UTC (`2025-07-01 09:30:00+00`).
    public var at: String
    /// The day it happened, as given when it was recorded (`nil` for older entries).
    public var on: CivilDate? = nil
}

extension OfficeSession {
    /// The workflow history of one disclosure, right, deal or agreement, oldest first.
    /// - Parameters:
    ///   - entity: `disclosure`, `right`, `deal` or `agreement`.
    ///   - id: the record's key.
    public func workflowHistory(of entity: String, id: Int64) async throws -> [WorkflowHistoryEntry] {
        try await connection.query(
            """
            SELECT event, from_state, to_state, actor, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                   occurred_on
            FROM workflow_history
            WHERE office_id = \(office) AND entity_type = \(entity) AND entity_id = \(id)
            ORDER BY id
            """
        ).map { row in
            let (event, from, to, actor, at, on) = try row.decode(
                String.self, String.self, String.self, String.self, String.self, CivilDate?.self)
            return WorkflowHistoryEntry(event: event, from: from, to: to, actor: actor, at: at, on: on)
        }
    }

    /// The recorded right event with key `id`.
    public func rightEvent(_ id: Int64) async throws -> StoredRightEvent {
        let rows = try await connection.query(
            """
            SELECT id, right_id, kind, event_date, year, reference, recorded_by, source FROM right_events
            WHERE office_id = \(office) AND id = \(id)
            """)
        guard let row = rows.first else { throw StoreError.notFound(record: "event \(id)") }
        let (eventID, right, kind, date, year, reference, recordedBy, source) = try row.decode(
            Int64.self, ID<Right>.self, RightEventKind.self, CivilDate.self, Int?.self, String?.self, String.self,
            String?.self)
        return StoredRightEvent(
            id: eventID, right: right, event: RightEvent(kind, on: date, year: year, reference: reference),
            recordedBy: recordedBy, source: source)
    }

    /// How many of a right's deadlines are open.
    public func openDeadlineCount(of right: ID<Right>) async throws -> Int {
        try await connection.query(
            "SELECT count(*)::int FROM deadlines WHERE office_id = \(office) AND right_id = \(right) AND status = 'open'"
        )[0].decode(Int.self, at: 0)
    }

    /// The payments received under an agreement, in date order, with their versions.
    public func payments(under agreement: ID<Agreement>) async throws -> [Versioned<Payment>] {
        try await connection.query(
            """
            \(unescaped: Self.paymentColumns) WHERE office_id = \(office) AND agreement_id = \(agreement)
            ORDER BY received_on, id
            """
        ).map(decodePayment)
    }

    /// The office's payments with their versions, in date order.
    public func versionedPayments() async throws -> [Versioned<Payment>] {
        try await connection.query(
            "\(unescaped: Self.paymentColumns) WHERE office_id = \(office) ORDER BY received_on, id"
        ).map(decodePayment)
    }

    /// Saves changes to a payment if nobody changed it since it was read, and queues the
    /// recomputation of the obligations of its agreement (and of the one it was under, if moved).
    @discardableResult
    public func updatePayment(_ payment: Versioned<Payment>) async throws -> Versioned<Payment> {
        let value = payment.value
        let record = "payment \(value.id.rawValue)"
        try await refuseForeignCurrencies([value])
        // The agreement it was under, whose reports the payment may have met.
        let before = try await connection.query(
            "SELECT agreement_id FROM payments WHERE office_id = \(office) AND id = \(value.id)"
        ).first?.decode(ID<Agreement>.self, at: 0)
        let rows = try await naming(record) {
            try await connection.query(
                """
                UPDATE payments SET agreement_id = \(value.agreement), kind = \(value.kind),
                       received_on = \(value.receivedOn), amount_minor = \(value.amount.minorUnits),
                       currency = \(value.amount.currency), reference = \(value.reference)
                WHERE office_id = \(office) AND id = \(value.id) AND version = \(payment.version)
                RETURNING version
                """)
        }
        let version = try await checkedVersion(
            rows, table: "payments", id: value.id.rawValue, record: record, expected: payment.version)
        try await enqueueObligationRecomputation(of: [before, value.agreement].compactMap { $0 })
        return Versioned(value, version: version)
    }

    static let paymentColumns = """
        SELECT id, agreement_id, kind, received_on, amount_minor, currency, reference, version FROM payments
        """

    func decodePayment(_ row: PostgresRow) throws -> Versioned<Payment> {
        let (id, agreement, kind, receivedOn, minor, currency, reference, version) = try row.decode(
            ID<Payment>.self, ID<Agreement>.self, Payment.Kind.self, CivilDate.self, Int64.self, Currency.self,
            String?.self, Int.self)
        return Versioned(
            Payment(
                id: id, office: office, agreement: agreement, amount: Money(minorUnits: minor, currency),
                kind: kind, receivedOn: receivedOn, reference: reference),
            version: version)
    }
}
