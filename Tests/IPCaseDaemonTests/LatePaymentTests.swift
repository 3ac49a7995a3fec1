import Foundation
import IPCase
import IPCaseStore
import PostgresClient
import Testing

/// Issue 11 §1 with the real `ipcased`: a fee recorded as paid is never marked missed and never
/// lapses the right, whether the payment is recorded before the run or after the sweeper already
/// lapsed the right; a fee genuinely unpaid still lapses it.
///
/// The rights are KZ patents filed 2022-03-01 and granted 2025-10-01: the annual fees of years
/// 1–4 fall due two months after the grant (2025-12-01, kazpatent.kz "patent maintenance": the
/// first payment covers the earlier years), year 5 on 2026-03-01, year 6 on 2027-03-01; the grant
/// fee three months after the decision to grant (Patent Law Art. 26(1)). Today (the machine's
/// clock) is later than every one of them but year 6.
@Suite("ipcased and payments recorded after the fact", .serialized)
struct LatePaymentTests {
    static let granted: [(RightEventKind, String, String?)] = [
        (.filed, "2022-03-01", "2022/0100.1"), (.examinationRequested, "2022-06-01", nil),
        (.grantDecision, "2025-08-01", nil), (.allowed, "2025-08-01", nil), (.granted, "2025-10-01", "38001"),
    ]

    struct Right {
        let id: ID<IPCase.Right>
        let reference: String
    }

    func create(_ reference: String, in database: QueueDatabase) async throws -> Right {
        let store = Store(connection: database.admin)
        let right = try await store.withOffice(database.office, actor: "officer") { session in
            try await session.createRight(
                IPCase.Right(
                    id: 0, office: database.office, reference: reference, title: "Sorbent \(reference)",
                    jurisdiction: .kazakhstan, kind: .patent))
        }
        // Each right its own application number (the last digits of its reference).
        let number = "2022/0\(reference.suffix(3).filter(\.isNumber)).1"
        try await record(
            Self.granted.map { $0.0 == .filed ? ($0.0, $0.1, number) : $0 }, on: right.id, in: database)
        return Right(id: right.id, reference: reference)
    }

    func record(_ events: [(RightEventKind, String, String?)], on right: ID<IPCase.Right>, in database: QueueDatabase)
        async throws
    {
        let store = Store(connection: database.admin)
        for (kind, date, reference) in events {
            let event = RightEvent(kind, on: try CivilDate(iso: date), reference: reference)
            try await store.withOffice(database.office, actor: "officer") { session in
                _ = try await session.recordEvent(right, event)
            }
        }
    }

    func pay(years: ClosedRange<Int>, grantFee: Bool, on right: ID<IPCase.Right>, in database: QueueDatabase)
        async throws
    {
        let store = Store(connection: database.admin)
        try await store.withOffice(database.office, actor: "officer") { session in
            if grantFee {
                _ = try await session.recordEvent(right, RightEvent(.grantFeePaid, on: try CivilDate(iso: "2025-10-20")))
            }
            for year in years {
                // Each before its due date: years 1–4 by 2025-12-01, year 5 by 2026-03-01.
                let date = year <= 4 ? "2025-11-20" : "2026-02-15"
                _ = try await session.recordEvent(right, RightEvent(.annuityPaid, on: try CivilDate(iso: date), year: year))
            }
        }
    }

    func runOnce(_ database: QueueDatabase) async throws {
        let daemon = try DaemonProcess(["run", "--once"], databaseURL: database.url)
        let exit = await daemon.exit()
        #expect(exit?.reason == .exit && exit?.status == 0, "ipcased run --once failed:\n\(daemon.log)")
        #expect(try await database.jobCounts()["queued", default: 0] == 0, "\(daemon.log)")
    }

    /// `type year` → status of the right's deadlines, for the annual and grant fees.
    func fees(of right: Right, in database: QueueDatabase) async throws -> [String: String] {
        let rows = try await database.admin.query(
            """
            SELECT type || ' ' || (year::numeric)::int, status FROM deadlines
            WHERE right_id = \(right.id) AND type IN ('renewal', 'grant_fee') AND status <> 'superseded'
            """)
        var fees: [String: String] = [:]
        for row in rows {
            let (key, status) = try row.decode(String.self, String.self)
            fees[key] = status
        }
        return fees
    }

    func state(of right: Right, in database: QueueDatabase) async throws -> String {
        try await database.admin.query("SELECT state FROM rights WHERE id = \(right.id)")[0].decode(String.self, at: 0)
    }

    @Test("fees paid in time and recorded before the run are done; the right stays in force")
    func paymentsRecordedBeforeTheRunAreNeverMissed() async throws {
        let database = try await QueueDatabase.make()
        let right = try await create("KZ-LATE-1", in: database)
        try await pay(years: 1...5, grantFee: true, on: right.id, in: database)
        try await runOnce(database)
        let fees = try await fees(of: right, in: database)
        for year in 1...5 { #expect(fees["renewal \(year)"] == "done", "year \(year): \(fees)") }
        #expect(fees["grant_fee 0"] == "done")
        #expect(fees["renewal 6"] == "open")
        #expect(try await state(of: right, in: database) == "granted")
        #expect(try await database.count("SELECT count(*) FROM right_events WHERE kind = 'lapsed'") == 0)
    }

    @Test(
        "payments recorded after the sweeper lapsed the right: paid fees turn done, the lapse is rescinded; an unpaid year still lapses"
    )
    func paymentsRecordedAfterTheLapseUndoIt() async throws {
        let database = try await QueueDatabase.make()
        let paid = try await create("KZ-LATE-2", in: database)
        let unpaid = try await create("KZ-LATE-3", in: database)
        // Nothing paid yet: every fee whose final date passed is missed, both rights lapse; the
        // grant fee is met by the grant (Art. 26(1)).
        try await runOnce(database)
        for right in [paid, unpaid] {
            let fees = try await fees(of: right, in: database)
            for year in 1...5 { #expect(fees["renewal \(year)"] == "missed", "\(right.reference) year \(year): \(fees)") }
            #expect(fees["grant_fee 0"] == "done")
            #expect(try await state(of: right, in: database) == "lapsed")
        }

        // The payments are entered after the fact, dated before their due dates; the second
        // right's year 5 was really not paid.
        try await pay(years: 1...5, grantFee: true, on: paid.id, in: database)
        try await pay(years: 1...4, grantFee: false, on: unpaid.id, in: database)
        try await runOnce(database)

        let paidFees = try await fees(of: paid, in: database)
        for year in 1...5 { #expect(paidFees["renewal \(year)"] == "done", "year \(year): \(paidFees)") }
        #expect(paidFees["renewal 6"] == "open", "later fees are no longer superseded: \(paidFees)")
        #expect(try await state(of: paid, in: database) == "in-force")
        let history = try await database.admin.query(
            """
            SELECT event, actor FROM workflow_history
            WHERE entity_type = 'right' AND entity_id = \(paid.id) AND event IN ('lapsed', 'lapse-rescinded')
            ORDER BY id
            """
        ).map { try $0.decode(String.self, String.self) }
        #expect(history.map(\.0) == ["lapsed", "lapse-rescinded"])
        #expect(history.first?.1 == "ipcased/sweeper")
        let reason = try await database.admin.query(
            "SELECT completed_reason FROM deadlines WHERE right_id = \(paid.id) AND type = 'renewal' AND year = 5"
        )[0].decode(String.self, at: 0)
        #expect(reason == "met by annuity-paid 2026-02-15 (recorded after it was marked missed)")

        let unpaidFees = try await fees(of: unpaid, in: database)
        for year in 1...4 { #expect(unpaidFees["renewal \(year)"] == "done", "year \(year): \(unpaidFees)") }
        #expect(unpaidFees["renewal 5"] == "missed")
        #expect(try await state(of: unpaid, in: database) == "lapsed")
        // It lapsed for year 5 (final date 2026-03-01), not for years 1–4: the history shows the
        // first lapse, its withdrawal and the lapse from the right date.
        let unpaidHistory = try await database.admin.query(
            """
            SELECT e.kind, e.event_date FROM right_events e
            WHERE e.right_id = \(unpaid.id) AND e.kind IN ('lapsed', 'lapse-rescinded') ORDER BY e.id
            """
        ).map { row in
            let (kind, date) = try row.decode(String.self, CivilDate.self)
            return "\(kind) \(date)"
        }
        #expect(unpaidHistory.count == 3)
        #expect(unpaidHistory.first == "lapsed 2025-12-02")
        #expect(unpaidHistory.dropFirst().first?.hasPrefix("lapse-rescinded") == true)
        #expect(unpaidHistory.last == "lapsed 2026-03-02")
    }

    @Test("a fee paid only after its final date stays missed and is raised once for a restoration request")
    func paymentAfterTheFinalDateIsRaisedForReview() async throws {
        let database = try await QueueDatabase.make()
        let right = try await create("KZ-LATE-4", in: database)
        try await pay(years: 1...4, grantFee: true, on: right.id, in: database)
        try await runOnce(database)
        #expect(try await fees(of: right, in: database)["renewal 5"] == "missed")
        // Year 5 (final date 2026-03-01) paid in April.
        let store = Store(connection: database.admin)
        try await store.withOffice(database.office, actor: "officer") { session in
            _ = try await session.recordEvent(right.id, RightEvent(.annuityPaid, on: try CivilDate(iso: "2026-04-10"), year: 5))
        }
        try await runOnce(database)
        #expect(try await fees(of: right, in: database)["renewal 5"] == "missed")
        #expect(try await state(of: right, in: database) == "lapsed")
        let raised = try await database.count(
            "SELECT count(*) FROM jobs WHERE kind = 'notify' AND payload::text LIKE '%restoration request%'")
        #expect(raised == 1)
    }

    @Test("ipcased names once, at start, each office whose notices reach no one")
    func officesWithoutRecipientsAreNamedOnce() async throws {
        let database = try await QueueDatabase.make()
        _ = try await create("KZ-LATE-5", in: database)
        let daemon = try DaemonProcess(["run", "--once"], databaseURL: database.url)
        #expect(await daemon.exit()?.status == 0)
        let warnings = daemon.log.components(separatedBy: "\n").filter { $0.contains("reach no one") }
        #expect(warnings.count == 1, "\(daemon.log)")
        #expect(warnings.first?.contains("office.id=\(database.office)") == true, "\(warnings)")
        // With a supervisor to tell, nothing is said.
        _ = try await database.admin.execute(
            "UPDATE offices SET supervisor_email = 'head@example.kz' WHERE office_id = \(database.office)")
        let second = try DaemonProcess(["run", "--once"], databaseURL: database.url)
        #expect(await second.exit()?.status == 0)
        #expect(!second.log.contains("reach no one"), "\(second.log)")
    }
}
