import Foundation
import IPCase
import IPCaseStore
import PostgresClient
import Testing

@testable import IPCaseDaemon

/// The instant at 20:00 UTC on the day before `date`: already `date` in Almaty (UTC+5), still
/// the day before in UTC, so a sweeper that ignored the office's time zone would be a day late.
private func almatyEarlyMorning(of date: CivilDate) -> Date {
    Date(timeIntervalSince1970: Double(date.daysSinceEpoch) * 86_400 - 4 * 3_600)
}

@Suite("reminder schedule")
struct ReminderScheduleTests {
    @Test(
        "the reminder due is the smallest offset not below the days left",
        arguments: [
            (61, nil), (60, 60), (45, 60), (30, 30), (29, 30), (14, 14), (8, 14), (7, 7), (1, 1), (0, 1),
            (-1, nil),
        ]
            as [(Int, Int?)])
    func reminderOffsetForDaysLeft(daysLeft: Int, expected: Int?) {
        #expect(ReminderSchedule.standard.offset(daysUntilDue: daysLeft) == expected)
    }

    @Test("offsets are normalised: largest first, no duplicates or negatives")
    func offsetsNormalised() {
        #expect(ReminderSchedule(offsets: [7, 30, 7, -3, 1]).offsets == [30, 7, 1])
    }

    @Test("KZ restoration runs three years from the missed deadline (rule data, cited); unknown elsewhere")
    func restorationPeriods() {
        #expect(
            RuleBook.standard.restorableUntil(jurisdiction: "KZ", missedDeadline: .iso("2026-03-31"))
                == .iso("2029-03-31"))
        #expect(
            RuleBook.standard.restorableUntil(jurisdiction: "EP", missedDeadline: .iso("2026-03-31"))
                == nil)
    }

    @Test("the office's time zone decides today")
    func todayInOfficeTimeZone() {
        let instant = almatyEarlyMorning(of: .iso("2026-01-02"))
        #expect(DaemonClock.fixed(instant).today(in: "Asia/Almaty") == .iso("2026-01-02"))
        #expect(DaemonClock.fixed(instant).today(in: "UTC") == .iso("2026-01-01"))
    }
}

@Suite("deadline sweeper (PostgreSQL)", .serialized)
struct SweeperTests {
    let database: SweeperTestDatabase

    init() async throws {
        database = try await SweeperTestDatabase.migrated(prefix: "sweeper")
    }

    @Test(
        "reminders fire exactly at the offsets, escalation the day after the due date, done and waived stay silent"
    )
    func remindersFireExactlyAtOffsetsOverSeventyDays() async throws {
        let office = try await SweeperOffice.create(in: database, name: "Reminder office")
        let right = try await office.right(
            in: database, reference: "EP-2020-001", jurisdiction: .european,
            applicationNumber: "23 812 345.6")
        let start = CivilDate.iso("2027-01-25")
        let due = start.adding(days: 65)  // 2027-03-31
        let final = CivilDate.iso("2027-09-30")
        let open = try await office.deadline(in: database, right: right, due: due, final: final)
        let done = try await office.deadline(
            in: database, right: right, year: 6, due: due, final: final, status: "done")
        let waived = try await office.deadline(
            in: database, right: right, year: 7, due: due.adding(days: 3), final: final, status: "waived")

        let sweeper = DeadlineSweeper(store: try await database.daemonStore())
        var firedOn: [String: CivilDate] = [:]
        for day in 0...70 {
            let today = start.adding(days: day)
            let before = Set(try await database.outboxKeys())
            let report = try await sweeper.sweep(at: almatyEarlyMorning(of: today))
            let new = Set(try await database.outboxKeys()).subtracting(before)
            for key in new {
                #expect(firedOn[key] == nil, "\(key) written twice")
                firedOn[key] = today
            }
            #expect(report.reminders + report.escalations == new.count)
        }
        var expected: [String: CivilDate] = [:]
        for offset in [60, 30, 14, 7, 1] {
            expected["deadline:\(open):reminder:\(offset)"] = due.adding(days: -offset)
        }
        expected["deadline:\(open):escalation"] = due.adding(days: 1)
        #expect(firedOn == expected)
        for silent in [done, waived] {
            #expect(try await database.outboxKeys(like: "deadline:\(silent):%").isEmpty)
        }

        // The message: plain-language subject, the attorney as recipient, the deadline's fields.
        let rows = try await database.admin.query(
            """
            SELECT recipient, subject, payload::text, channel FROM outbox
            WHERE idempotency_key = \("deadline:\(open):reminder:30")
            """)
        let (recipient, subject, payload, channel) = try rows[0].decode(
            String.self, String.self, String.self, String.self)
        #expect(recipient == SweeperOffice.attorneyEmail)
        #expect(channel == "email")
        #expect(
            subject
                == "EP 23 812 345.6 — renewal year 5 due 2027-03-31 (final 2027-09-30), EPC Rule 51(1)")
        let envelope = try JSONDecoder().decode(OutboxEnvelope.self, from: Data(payload.utf8))
        #expect(envelope.topic == "deadline.reminder")
        #expect(envelope.body.contains("is due in 30 days, on 2027-03-31"))
        guard case .object(let data) = envelope.data else {
            Issue.record("payload data is not an object")
            return
        }
        #expect(data["deadline_id"] == .integer(Int(open)))
        #expect(data["due_date"] == "2027-03-31")
        #expect(data["final_date"] == "2027-09-30")
        #expect(data["offset_days"] == 30)
        #expect(data["year"] == 5)
        let escalationTo = try await database.admin.query(
            "SELECT recipient FROM outbox WHERE idempotency_key = \("deadline:\(open):escalation")")
        #expect(try escalationTo[0].decode(String.self, at: 0) == SweeperOffice.supervisorEmail)
    }

    @Test("after downtime only the most recent missed offset fires, once")
    func catchUpSendsOnlyTheMostRecentOffset() async throws {
        let office = try await SweeperOffice.create(in: database, name: "Catch-up office")
        let right = try await office.right(
            in: database, reference: "EP-2020-002", jurisdiction: .european,
            applicationNumber: "23 812 346.4")
        let due = CivilDate.iso("2027-05-31")
        let id = try await office.deadline(
            in: database, right: right, due: due, final: .iso("2027-11-30"))
        let sweeper = DeadlineSweeper(store: try await database.daemonStore())
        // Down from 61 days before until 10 days before: the 60, 30 and 14-day reminders were missed.
        _ = try await sweeper.sweep(at: almatyEarlyMorning(of: due.adding(days: -61)))
        _ = try await sweeper.sweep(at: almatyEarlyMorning(of: due.adding(days: -10)))
        _ = try await sweeper.sweep(at: almatyEarlyMorning(of: due.adding(days: -9)))
        #expect(
            try await database.outboxKeys(like: "deadline:\(id):%") == ["deadline:\(id):reminder:14"])
    }

    @Test(
        "after the final date: missed, the right lapsed through the workflow with history and audit, KZ restorable 3 years"
    )
    func finalDatePassedMissesDeadlineAndLapsesRight() async throws {
        let office = try await SweeperOffice.create(in: database, name: "Lapse office")
        let right = try await office.right(
            in: database, reference: "KZ-2020-007", jurisdiction: .kazakhstan,
            applicationNumber: "2020/0123.1")
        let due = CivilDate.iso("2026-03-31")
        let id = try await office.deadline(
            in: database, right: right, year: 7, due: due, final: due, ruleID: "kz.annuity",
            citation: "KZ Patent Law Art. 34")
        let sweeper = DeadlineSweeper(store: try await database.daemonStore())

        let onFinalDay = try await sweeper.sweep(at: almatyEarlyMorning(of: due))
        #expect(onFinalDay.missed == 0)
        #expect(
            try await database.count(
                "SELECT count(*) FROM rights WHERE state = 'lapsed' AND id = \(right)") == 0)

        let report = try await sweeper.sweep(at: almatyEarlyMorning(of: due.adding(days: 1)))
        #expect(report.missed == 1)
        #expect(report.lapsedRights == 1)
        let status = try await database.admin.query("SELECT status FROM deadlines WHERE id = \(id)")
        #expect(try status[0].decode(String.self, at: 0) == "missed")
        let rightRow = try await database.admin.query(
            "SELECT state, restorable_until FROM rights WHERE office_id = \(office.office) AND id = \(right)"
        )
        let (state, restorable) = try rightRow[0].decode(String.self, CivilDate?.self)
        #expect(state == "lapsed")
        #expect(restorable == .iso("2029-03-31"))
        #expect(
            try await database.count(
                """
                SELECT count(*) FROM workflow_history WHERE office_id = \(office.office) AND entity_type = 'right'
                  AND entity_id = \(right) AND event = 'lapsed' AND from_state = 'in-force' AND to_state = 'lapsed'
                  AND actor = 'ipcased/sweeper'
                """) == 1)
        #expect(
            try await database.count(
                """
                SELECT count(*) FROM audit_log WHERE office_id = \(office.office) AND table_name = 'rights'
                  AND record_id = \(right) AND action = 'UPDATE' AND after->>'state' = 'lapsed'
                  AND actor = 'ipcased/sweeper'
                """) == 1)
        #expect(
            try await database.count(
                """
                SELECT count(*) FROM audit_log WHERE office_id = \(office.office) AND table_name = 'deadlines'
                  AND record_id = \(id) AND after->>'status' = 'missed'
                """) == 1)
        #expect(
            try await database.count(
                "SELECT count(*) FROM right_events WHERE right_id = \(right) AND kind = 'lapsed' AND event_date = '2026-04-01'"
            )
                == 1)
        // The due (and final) day itself brought the 1-day reminder as catch-up; the day after, the miss.
        #expect(
            try await database.outboxKeys(like: "deadline:\(id):%") == [
                "deadline:\(id):missed", "deadline:\(id):reminder:1",
            ])

        // Sweeping again changes nothing.
        let again = try await sweeper.sweep(at: almatyEarlyMorning(of: due.adding(days: 2)))
        #expect(again.missed == 0 && again.lapsedRights == 0)
        #expect(
            try await database.count("SELECT count(*) FROM workflow_history WHERE entity_id = \(right)")
                == 1)
    }

    @Test("a missed option-exercise deadline lapses the option through the agreement workflow")
    func missedOptionExerciseLapsesOption() async throws {
        let office = try await SweeperOffice.create(in: database, name: "Option office")
        let agreement = try await database.admin.query(
            """
            INSERT INTO agreements (office_id, kind, reference, state, executed_on, starts_on)
            VALUES (\(office.office), 'option', 'OPT-2026-1', 'active', '2025-06-01', '2025-06-01') RETURNING id
            """)[0].decode(ID<Agreement>.self, at: 0)
        let due = CivilDate.iso("2026-06-01")
        let id = try await office.deadline(
            in: database, agreement: agreement, type: "option_exercise", year: 0, due: due, final: due,
            ruleID: "agreement.option-exercise", citation: "Option agreement §4")
        let sweeper = DeadlineSweeper(store: try await database.daemonStore())
        let report = try await sweeper.sweep(at: almatyEarlyMorning(of: due.adding(days: 1)))
        #expect(report.missed == 1 && report.lapsedOptions == 1)
        let state = try await database.admin.query(
            "SELECT state FROM agreements WHERE id = \(agreement)")
        #expect(try state[0].decode(String.self, at: 0) == "lapsed")
        #expect(
            try await database.count(
                """
                SELECT count(*) FROM workflow_history WHERE entity_type = 'agreement' AND entity_id = \(agreement)
                  AND event = 'lapse-option' AND from_state = 'active' AND to_state = 'lapsed'
                """) == 1)
        // No attorney on an agreement: the office's contact is told.
        let recipient = try await database.admin.query(
            "SELECT recipient FROM outbox WHERE idempotency_key = \("deadline:\(id):missed")")
        #expect(try recipient[0].decode(String.self, at: 0) == SweeperOffice.supervisorEmail)
        // Through the store's agreement-event path: the workflow's effects are carried out, its
        // obligations recomputed and its notice queued, in the sweep's transaction.
        #expect(
            try await database.count(
                """
                SELECT count(*) FROM jobs WHERE office_id = \(office.office) AND kind = 'recompute-deadlines'
                  AND payload->'recompute-deadlines'->'for'->'agreement'->>'_0' = \(String(agreement.rawValue))
                """) == 1)
        #expect(
            try await database.count(
                """
                SELECT count(*) FROM jobs WHERE office_id = \(office.office) AND kind = 'notify'
                  AND payload::text LIKE '%lapsed unexercised%'
                """) == 1)
    }

    @Test("a right with a queued or running recomputation is held: no reminder, no miss, no lapse until it is done")
    func rightWithUnprocessedEventsIsHeld() async throws {
        let office = try await SweeperOffice.create(in: database, name: "Held office")
        let right = try await office.right(
            in: database, reference: "KZ-2021-011", jurisdiction: .kazakhstan, applicationNumber: "2021/0456.1")
        let due = CivilDate.iso("2026-02-20")
        let missedID = try await office.deadline(
            in: database, right: right, year: 6, due: due, final: due, ruleID: "KZ.annual-fee")
        let soonID = try await office.deadline(
            in: database, right: right, year: 7, due: due.adding(days: 5), final: due.adding(days: 5),
            ruleID: "KZ.annual-fee")
        // A payment was just recorded: its recomputation is queued (then running), not yet done.
        let job = try await database.admin.query(
            """
            INSERT INTO jobs (office_id, kind, payload)
            VALUES (\(office.office), 'recompute-deadlines',
                    jsonb_build_object('recompute-deadlines', jsonb_build_object('for',
                        jsonb_build_object('right', jsonb_build_object('_0', \(right.rawValue))))))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        let sweeper = DeadlineSweeper(store: try await database.daemonStore())
        let day = due.adding(days: 1)
        for status in ["queued", "running"] {
            _ = try await database.admin.execute(
                """
                UPDATE jobs SET status = \(status),
                       lease_until = CASE WHEN \(status) = 'running' THEN now() + interval '1 hour' END
                WHERE id = \(job)
                """)
            let held = try await sweeper.sweep(at: almatyEarlyMorning(of: day))
            #expect(held.missed == 0 && held.lapsedRights == 0 && held.reminders == 0)
            #expect(held.held == 1)
            #expect(try await database.outboxKeys(like: "deadline:%") == [])
            #expect(
                try await database.count(
                    "SELECT count(*) FROM deadlines WHERE id = ANY(\([missedID, soonID])::bigint[]) AND status = 'open'")
                    == 2)
        }
        // A recomputation parked as dead still holds the miss (its events were never processed),
        // but reminders go out.
        _ = try await database.admin.execute(
            "UPDATE jobs SET status = 'dead', lease_until = NULL WHERE id = \(job)")
        let dead = try await sweeper.sweep(at: almatyEarlyMorning(of: day))
        #expect(dead.missed == 0 && dead.held == 1 && dead.lapsedRights == 0)
        #expect(try await database.outboxKeys(like: "deadline:%") == ["deadline:\(soonID):reminder:7"])
        // Once the recomputation is done (it found the fee unpaid), the miss and the lapse follow.
        _ = try await database.admin.execute("UPDATE jobs SET status = 'done' WHERE id = \(job)")
        let released = try await sweeper.sweep(at: almatyEarlyMorning(of: day))
        #expect(released.missed == 1 && released.lapsedRights == 1 && released.held == 0)
    }

    @Test("a backlog is swept in bounded steps: each transaction at most one batch, every deadline missed once")
    func backlogIsSweptInBoundedSteps() async throws {
        let office = try await SweeperOffice.create(in: database, name: "Backlog office")
        let right = try await office.right(
            in: database, reference: "EP-BACKLOG", jurisdiction: .european, applicationNumber: "EP 20 000 001.1")
        let due = CivilDate.iso("2026-05-04")
        _ = try await database.admin.execute(
            """
            INSERT INTO deadlines (office_id, right_id, rule_id, type, year, trigger_key, nominal_date, due_date,
                                   final_date, status, citation)
            SELECT \(office.office), \(right), 'ep.office-action', 'office_action_response', 0, 'backlog:' || n,
                   \(due), \(due), \(due), 'open', 'EPC Rule 132'
            FROM generate_series(1, 1234) AS n
            """)
        // A small office swept after the backlog office (a higher key) with one reminder due.
        let small = try await SweeperOffice.create(in: database, name: "Small office behind the backlog")
        let smallRight = try await small.right(
            in: database, reference: "EP-SMALL", jurisdiction: .european, applicationNumber: "EP 20 000 002.2")
        let reminded = try await small.deadline(
            in: database, right: smallRight, due: due.adding(days: 8), final: due.adding(days: 200))
        let sweeper = DeadlineSweeper(store: try await database.daemonStore(), batchSize: 100)
        let report = try await sweeper.sweep(at: almatyEarlyMorning(of: due.adding(days: 1)))
        #expect(report.missed == 1234)
        // Every office's reminders are written before any office's misses.
        let order = try await database.admin.query(
            """
            SELECT (SELECT id FROM outbox WHERE idempotency_key = \("deadline:\(reminded):reminder:7")),
                   (SELECT min(o.id) FROM outbox o JOIN deadlines d ON o.idempotency_key = 'deadline:' || d.id || ':missed'
                    WHERE d.office_id = \(office.office))
            """)[0].decode(Int64?.self, Int64?.self)
        let (reminder, firstMiss) = (try #require(order.0), try #require(order.1))
        #expect(reminder < firstMiss)
        // The backlog office: one page of reminders and 13 missed steps (12 full, one partial);
        // the small office: one page of reminders and one (empty) missed step.
        #expect(report.transactions == 16)
        #expect(
            try await database.count(
                "SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'deadline:%:missed'") >= 1234)
        let again = try await sweeper.sweep(at: almatyEarlyMorning(of: due.adding(days: 1)))
        #expect(again.missed == 0)
    }

    @Test("two sweepers running concurrently on one database write no reminder twice")
    func concurrentSweepersProduceNoDuplicates() async throws {
        var ids: [Int64] = []
        let start = CivilDate.iso("2028-01-10")
        for name in ["Concurrent A", "Concurrent B"] {
            let office = try await SweeperOffice.create(in: database, name: name)
            let right = try await office.right(
                in: database, reference: "\(name)-EP", jurisdiction: .european,
                applicationNumber: "\(name) 1")
            for index in 0..<40 {
                ids.append(
                    try await office.deadline(
                        in: database, right: right, year: 3 + index, due: start.adding(days: 20 + index),
                        final: start.adding(days: 200)))
            }
        }
        let first = DeadlineSweeper(store: try await database.daemonStore())
        let second = DeadlineSweeper(store: try await database.daemonStore())
        var written = 0
        for day in 0...70 {
            let instant = almatyEarlyMorning(of: start.adding(days: day))
            async let a = first.sweep(at: instant)
            async let b = second.sweep(at: instant)
            let (reportA, reportB) = try await (a, b)
            written += reportA.reminders + reportA.escalations + reportB.reminders + reportB.escalations
        }
        let keys = try await database.admin.query(
            """
            SELECT count(*), count(DISTINCT idempotency_key) FROM outbox
            WHERE idempotency_key LIKE 'deadline:%' AND split_part(idempotency_key, ':', 2)::bigint = ANY(\(ids))
            """)
        let (total, distinct) = try keys[0].decode(Int.self, Int.self)
        #expect(total == distinct)
        #expect(total == written)
        // Every deadline: the reminders of offsets reached since the first sweep, and its escalation.
        var expected = 0
        for index in 0..<40 {
            let daysLeftAtStart = 20 + index
            let offsetsAhead = [60, 30, 14, 7, 1].filter { $0 < daysLeftAtStart }.count
            let caughtUp = daysLeftAtStart <= 60 ? 1 : 0
            let escalated = 20 + index < 70 ? 1 : 0
            expected += offsetsAhead + caughtUp + escalated
        }
        #expect(total == expected * 2)
    }
}
