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

/// What processing the agreements (or funded projects) of a batch did: the jobs to complete or
/// fail, and the writes.
struct ObligationsOutcome: Sendable {
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
        -> ObligationsOutcome
    {
        guard !jobs.isEmpty else { return ObligationsOutcome() }
        let loaded = try await loadAgreements(jobs.keys.sorted(), on: session.connection)
        return try await writeObligations(
            jobs, loaded: loaded, noun: "agreement", kind: .agreement, holder: { .agreement($0.agreement) },
            office: \.office, in: session
        ) { input in
            (
                input.responsible,
                input.agreement.obligationDeadlines(
                    payments: input.payments, closed: input.closed, lastRightExpires: input.lastRightExpires)
            )
        }
    }

    /// Computes the obligation deadlines of each loaded agreement or project and writes them (one
    /// upsert for all, in the caller's transaction): a holder that failed to load fails its own
    /// jobs only, logged with the reason; the others' jobs are done.
    func writeObligations<Key: Hashable & Comparable, Input>(
        _ jobs: [Key: [ClaimedJob]], loaded: [Key: Result<Input, ScheduleError>], noun: String,
        kind: ObligationHolder.Kind, holder: (Key) -> ObligationHolder, office: (Key) -> ID<Office>,
        in session: ServiceSession, deadlines: (Input) -> (responsible: ID<Party>?, [ObligationDeadline])
    ) async throws -> ObligationsOutcome {
        var outcome = ObligationsOutcome()
        var records: [ObligationDeadlineRecord] = []
        var processed: [(office: ID<Office>, holder: ObligationHolder)] = []
        for key in jobs.keys.sorted() {
            let jobsOfHolder = jobs[key] ?? []
            switch loaded[key] ?? .failure(ScheduleError(reference: "#\(holder(key).key)", reason: "no such \(noun)")) {
            case .success(let input):
                let (responsible, produced) = deadlines(input)
                records += produced.map {
                    ObligationDeadlineRecord(
                        office: office(key), holder: holder(key), responsible: responsible, deadline: $0)
                }
                processed.append((office(key), holder(key)))
                outcome.done += jobsOfHolder.map(\.id)
            case .failure(let error):
                logger.error(
                    "\(noun) cannot be processed", metadata: [noun: "\(holder(key).key)", "error": "\(error.reason)"])
                outcome.failures += jobsOfHolder.map {
                    JobFailure(job: $0.id, error: "\(noun) \(error.reference): \(error.reason)", retryAfter: delay($0))
                }
            }
        }
        let written = try await session.replaceObligationDeadlines(records, of: processed, kind: kind)
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
