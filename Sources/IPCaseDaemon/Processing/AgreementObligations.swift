import IPCase
import IPCaseStore
import PostgresClient

/// An agreement with its office, ordered as the agreements' primary key (the lock order).
struct AgreementKey: Hashable, Comparable, Sendable {
    var office: ID<Office>
    var agreement: ID<Agreement>

    static func < (lhs: AgreementKey, rhs: AgreementKey) -> Bool {
        (lhs.office.rawValue, lhs.agreement.rawValue) < (rhs.office.rawValue, rhs.agreement.rawValue)
    }
}

/// What processing the agreements of a batch did: the jobs to complete or fail, and the writes.
struct AgreementObligationsOutcome: Sendable {
    var done: [Int64] = []
    var failures: [JobFailure] = []
    var written = 0
    var superseded = 0
}

extension JobBatchProcessor {
    /// Computes the obligation deadlines (royalty reports, milestones, option exercise) of the
    /// agreements in the batch and writes them in the caller's transaction: the agreements are
    /// locked in key order (`FOR NO KEY UPDATE`, so payments may still reference them), loaded
    /// with their royalty payments and the reports closed by hand in the docket, and their
    /// deadlines upserted by key; open ones no longer produced are superseded.
    ///
    /// An agreement that does not exist or whose stored obligations do not decode fails its own
    /// jobs only. The person reminded is the manager of the deal the agreement came from, else
    /// nobody (the sweeper then writes to the office's supervisor).
    func processAgreements(_ jobs: [AgreementKey: [ClaimedJob]], in session: ServiceSession) async throws
        -> AgreementObligationsOutcome
    {
        var outcome = AgreementObligationsOutcome()
        guard !jobs.isEmpty else { return outcome }
        let keys = jobs.keys.sorted()
        let loaded = try await loadAgreements(keys, on: session.connection)
        var records: [ObligationDeadlineRecord] = []
        for key in keys {
            let jobsOfAgreement = jobs[key] ?? []
            switch loaded[key] ?? .failure(ScheduleError(reference: "#\(key.agreement)", reason: "no such agreement")) {
            case .success(let input):
                let deadlines = input.agreement.obligationDeadlines(
                    payments: input.payments, closed: input.closed, lastRightExpires: input.lastRightExpires)
                records += deadlines.map {
                    ObligationDeadlineRecord(
                        office: key.office, agreement: key.agreement, responsible: input.responsible, deadline: $0)
                }
                outcome.done += jobsOfAgreement.map(\.id)
            case .failure(let error):
                logger.error(
                    "agreement cannot be processed",
                    metadata: ["agreement": "\(key.agreement)", "error": "\(error.reason)"])
                outcome.failures += jobsOfAgreement.map {
                    JobFailure(
                        job: $0.id, error: "agreement \(error.reference): \(error.reason)", retryAfter: delay($0))
                }
            }
        }
        let processed = keys.filter { if case .success = loaded[$0] { true } else { false } }
        let written = try await session.replaceObligationDeadlines(
            records, of: processed.map { ($0.office, $0.agreement) })
        outcome.written = written.inserted + written.updated
        outcome.superseded = written.superseded
        return outcome
    }

    /// What the schedule needs of a stored agreement.
    struct AgreementInput: Sendable {
        var agreement: Agreement
        var payments: [Payment]
        var closed: Set<String>
        var lastRightExpires: CivilDate?
        var responsible: ID<Party>?
    }

    /// Locks the agreements (in key order) and loads them with their royalty payments and the
    /// reports closed by hand, in one round trip.
    func loadAgreements(_ keys: [AgreementKey], on connection: PostgresConnection) async throws
        -> [AgreementKey: Result<AgreementInput, ScheduleError>]
    {
        let offices = keys.map(\.office)
        let ids = keys.map(\.agreement)
        let results = try await connection.pipeline([
            BatchStatements.lockAgreements(offices: offices, agreements: ids),
            BatchStatements.royaltyPayments(offices: offices, agreements: ids),
            BatchStatements.obligationsClosedByHand(offices: offices, agreements: ids),
        ])
        var payments: [AgreementKey: [Payment]] = [:]
        for row in results[1] {
            let (office, agreement, id, receivedOn, minor, currency, reference) = try row.decode(
                ID<Office>.self, ID<Agreement>.self, ID<Payment>.self, CivilDate.self, Int64.self, Currency.self,
                String?.self)
            payments[AgreementKey(office: office, agreement: agreement), default: []].append(
                Payment(
                    id: id, office: office, agreement: agreement, amount: Money(minorUnits: minor, currency),
                    kind: .royalty, receivedOn: receivedOn, reference: reference))
        }
        var closed: [AgreementKey: Set<String>] = [:]
        for row in results[2] {
            let (office, agreement, rule, trigger, period) = try row.decode(
                ID<Office>.self, ID<Agreement>.self, String.self, String.self, Int.self)
            closed[AgreementKey(office: office, agreement: agreement), default: []].insert(
                "\(rule)/\(trigger)" + (period == 0 ? "" : "/\(period)"))
        }
        var inputs: [AgreementKey: Result<AgreementInput, ScheduleError>] = [:]
        for row in results[0] {
            let (office, id, reference) = try row.decode(ID<Office>.self, ID<Agreement>.self, String.self)
            let key = AgreementKey(office: office, agreement: id)
            do {
                let (kind, state, startsOn, endsOn, untilLast, executedOn, obligationsJSON) = try row.decode(
                    Agreement.Kind.self, AgreementWorkflow.State.self, CivilDate?.self, CivilDate?.self, Bool.self,
                    CivilDate?.self, PostgresJSON.self, startingAt: 3)
                let (manager, lastExpiry) = try row.decode(ID<Party>?.self, CivilDate?.self, startingAt: 10)
                let obligations: [Obligation]
                do {
                    obligations = try obligationsJSON.decode([Obligation].self)
                } catch {
                    throw ScheduleError(reference: reference, reason: "stored obligations do not decode")
                }
                let agreement = Agreement(
                    id: id, office: office, reference: reference, kind: kind,
                    term: AgreementTerm(startsOn: startsOn, endsOn: endsOn, untilLastRightExpires: untilLast),
                    obligations: obligations, executedOn: executedOn, state: state)
                inputs[key] = .success(
                    AgreementInput(
                        agreement: agreement, payments: payments[key] ?? [], closed: closed[key] ?? [],
                        lastRightExpires: lastExpiry, responsible: manager))
            } catch let error as ScheduleError {
                inputs[key] = .failure(error)
            } catch {
                inputs[key] = .failure(
                    ScheduleError(reference: reference, reason: "stored agreement does not decode: \(error)"))
            }
        }
        return inputs
    }
}
