import Foundation
import IPCase
import IPCaseDaemon
import IPCaseStore
import PostgresClient
import Testing

/// Almaty's civil `date` at 01:00 (UTC+5).
private func almatyNight(of date: CivilDate) -> Date {
    Date(timeIntervalSince1970: Double(date.daysSinceEpoch) * 86_400 - 4 * 3_600)
}

@Suite("notice languages (PostgreSQL)", .serialized)
struct NoticeLanguageTests {
    let database: SweeperTestDatabase

    init() async throws {
        database = try await SweeperTestDatabase.migrated(prefix: "notice_language")
    }

    /// An office in `language` with an EP renewal (year 5) due 2027-03-31, final 2027-09-30.
    func office(_ name: String, language: String?) async throws -> (SweeperOffice, deadline: Int64) {
        let office = try await SweeperOffice.create(in: database, name: name)
        if let language {
            try await database.asOwner(office.office) { try await $0.setLanguage(language) }
        }
        let right = try await office.right(
            in: database, reference: "EP-\(name.prefix(2))", jurisdiction: .european,
            applicationNumber: "23 812 345.6")
        let deadline = try await office.deadline(
            in: database, right: right, due: .iso("2027-03-31"), final: .iso("2027-09-30"))
        return (office, deadline)
    }

    /// Subject and body of the outbox row with `key`.
    func message(_ key: String) async throws -> (recipient: String, subject: String, body: String) {
        let rows = try await database.admin.query(
            "SELECT recipient, subject, payload::text FROM outbox WHERE idempotency_key = \(key)")
        let row = try #require(rows.first, "no outbox row \(key)")
        let (recipient, subject, payload) = try row.decode(String.self, String.self, String.self)
        let envelope = try JSONDecoder().decode(OutboxEnvelope.self, from: Data(payload.utf8))
        return (recipient, subject, envelope.body)
    }

    @Test("a Kazakh office's reminder of a swept deadline is in Kazakh, its data the same as in English")
    func kazakhOfficeRemindsInKazakh() async throws {
        let (_, id) = try await office("Kazakh office", language: "kk")
        let sweeper = DeadlineSweeper(store: try await database.daemonStore())
        _ = try await sweeper.sweep(at: almatyNight(of: .iso("2027-03-01")))
        let reminder = try await message("deadline:\(id):reminder:30")
        #expect(reminder.recipient == SweeperOffice.attorneyEmail)
        #expect(
            reminder.subject
                == "EP 23 812 345.6 — күшінде ұстау төлемі (5-жыл): мерзімі 2027-03-31 (соңғы күні 2027-09-30), EPC Rule 51(1)"
        )
        #expect(
            reminder.body == """
                EP 23 812 345.6 (EP-Ka, «Sorbent for heavy metals») бойынша «күшінде ұстау төлемі (5-жыл)» мерзімінің аяқталуына 30 күн қалды: 2027-03-31.
                Соңғы күн (жеңілдікті немесе ұзартылған мерзім): 2027-09-30.
                Құқықтық негіз: EPC Rule 51(1) (ep.renewal ережесі).
                Жауапты патенттік сенім білдірілген өкіл: Aigerim Attorney.
                """)
        let data = try await database.admin.query(
            "SELECT payload->'data'->>'due_date', payload->>'topic' FROM outbox WHERE idempotency_key = \("deadline:\(id):reminder:30")"
        )[0].decode(String.self, String.self)
        #expect(data == ("2027-03-31", "deadline.reminder"))
    }

    @Test("a Russian office's reminder, escalation and missed notice are in Russian, days declined by number")
    func russianOfficeWritesInRussian() async throws {
        let (_, id) = try await office("Russian office", language: "ru")
        let sweeper = DeadlineSweeper(store: try await database.daemonStore())
        _ = try await sweeper.sweep(at: almatyNight(of: .iso("2027-03-29")))
        _ = try await sweeper.sweep(at: almatyNight(of: .iso("2027-04-02")))
        _ = try await sweeper.sweep(at: almatyNight(of: .iso("2027-10-01")))
        let reminder = try await message("deadline:\(id):reminder:7")
        #expect(
            reminder.subject
                == "EP 23 812 345.6 — пошлина за поддержание (год 5): срок 2027-03-31 (окончательный 2027-09-30), EPC Rule 51(1)"
        )
        #expect(
            reminder.body.hasPrefix(
                "Срок «пошлина за поддержание (год 5)» по EP 23 812 345.6 (EP-Ru, «Sorbent for heavy metals») истекает через 2 дня, 2027-03-31.\nОкончательная дата (льготный или продлённый срок): 2027-09-30.\nПравовое основание: EPC Rule 51(1) (правило ep.renewal)."
            ), "\(reminder.body)")
        let escalation = try await message("deadline:\(id):escalation")
        #expect(escalation.recipient == SweeperOffice.supervisorEmail)
        #expect(escalation.subject.hasPrefix("Просрочено: EP 23 812 345.6 — пошлина за поддержание (год 5)"))
        #expect(escalation.body.contains("истёк 2027-03-31, 2 дня назад, и не отмечен как выполненный."))
        let missed = try await message("deadline:\(id):missed")
        #expect(missed.subject.hasPrefix("Срок пропущен: EP 23 812 345.6"))
        #expect(missed.body.contains("Окончательная дата 2027-09-30 для «пошлина за поддержание (год 5)»"))
        #expect(missed.body.contains("Действие охранного документа прекращено с 2027-10-01"))
        for text in [reminder.subject, reminder.body, escalation.body, missed.body] {
            #expect(!text.contains(" due ") && !text.contains("Legal basis"), "English left in \(text)")
        }
    }

    @Test("an office that changes its language is not sent again what it was sent; later notices use the new one")
    func changingTheLanguageSendsNothingTwice() async throws {
        let (office, id) = try await office("Switching office", language: nil)
        let sweeper = DeadlineSweeper(store: try await database.daemonStore())
        let day = CivilDate.iso("2027-03-01")
        _ = try await sweeper.sweep(at: almatyNight(of: day))
        #expect(try await database.outboxKeys(like: "deadline:\(id):%") == ["deadline:\(id):reminder:30"])
        #expect(try await message("deadline:\(id):reminder:30").body.hasPrefix("The renewal year 5 of EP 23 812 345.6"))
        try await database.asOwner(office.office) { try await $0.setLanguage("ru") }
        let again = try await sweeper.sweep(at: almatyNight(of: day))
        #expect(again.reminders == 0)
        #expect(try await database.count("SELECT count(*)::int FROM outbox WHERE idempotency_key LIKE \("deadline:\(id):%")") == 1)
        #expect(try await message("deadline:\(id):reminder:30").body.hasPrefix("The renewal"), "the sent one unchanged")
        _ = try await sweeper.sweep(at: almatyNight(of: .iso("2027-03-17")))
        #expect(try await message("deadline:\(id):reminder:14").body.hasPrefix("Срок «пошлина за поддержание (год 5)»"))
    }

    @Test("a notice to a web user of the office who chose a language is in theirs, others in the office's")
    func aWebUsersChosenLanguageWins() async throws {
        let (office, id) = try await office("Chosen office", language: "kk")
        let user = try await database.admin.query(
            """
            INSERT INTO web_users (login, name, email, password_hash, language)
            VALUES ('aigerim', 'Aigerim Attorney', \(SweeperOffice.attorneyEmail.uppercased()), '$2b$12$abcdefghijklmnopqrstuv', 'ru')
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        _ = try await database.admin.execute(
            "INSERT INTO web_user_offices (user_id, office_id, role) VALUES (\(user), \(office.office), 'attorney')")
        let sweeper = DeadlineSweeper(store: try await database.daemonStore())
        _ = try await sweeper.sweep(at: almatyNight(of: .iso("2027-03-01")))
        _ = try await sweeper.sweep(at: almatyNight(of: .iso("2027-04-01")))
        let reminder = try await message("deadline:\(id):reminder:30")
        #expect(reminder.recipient == SweeperOffice.attorneyEmail)
        #expect(reminder.body.hasPrefix("Срок «пошлина за поддержание (год 5)»"), "the attorney's Russian")
        let escalation = try await message("deadline:\(id):escalation")
        #expect(escalation.recipient == SweeperOffice.supervisorEmail)
        #expect(escalation.subject.hasPrefix("Мерзімі өтті: "), "the supervisor has no web user: the office's Kazakh")
        #expect(escalation.body.contains("мерзімі 2027-03-31 өтті (1 күн бұрын)"))
    }
}
