import Foundation
import IPCase
import PostgresClient

/// What recording an event left behind.
public struct RecordedEvent: Sendable, Hashable {
    /// The key of the stored right event, when the event was one (`nil` for workflow-only events).
    public var eventID: Int64?
    /// The state before the event.
    public var fromState: String
    /// The state after the event.
    public var toState: String
    /// What the workflow asked for; the store carried out record creation and queued the rest.
    public var effects: [WorkflowEffect]
    /// The jobs queued for the daemon.
    public var jobs: [Int64]
}

extension OfficeSession {
    /// Records what happened to a right, in this transaction: the event is validated through
    /// the right workflow (when it is one that moves the right), appended to the right's events
    /// and the workflow history, the right's state and dates are updated, and a deadline job is
    /// queued (with a wake-up at commit). When anything fails nothing is written: the caller's
    /// transaction rolls back.
    ///
    /// Events that do not move the right (an office action, an annuity paid …) are recorded and
    /// recompute the right's deadlines.
    ///
    /// - Throws: ``StoreError/workflow(record:reason:)`` naming the state, the event and the
    ///   allowed events; ``StoreError/notFound(record:)``.
    @discardableResult
    public func recordEvent(_ rightID: ID<Right>, _ event: RightEvent) async throws -> RecordedEvent {
        let right = try await lockedRight(rightID)
        let transition = workflowEvent(for: event, of: right)
        return try await apply(transition, to: right, recording: event)
    }

    /// Applies a right workflow event (with all its data, e.g. the entries of a national phase
    /// or the restoration deadline of a lapse), as ``recordEvent(_:_:)`` does.
    @discardableResult
    public func applyRightEvent(_ rightID: ID<Right>, _ event: RightWorkflow.Event) async throws -> RecordedEvent {
        let right = try await lockedRight(rightID)
        return try await apply(event, to: right, recording: event.rightEvent)
    }

    func lockedRight(_ id: ID<Right>) async throws -> Right {
        let rows = try await connection.query(
            "\(unescaped: Self.rightColumns) WHERE office_id = \(office) AND id = \(id) FOR UPDATE")
        guard let row = rows.first else { throw StoreError.notFound(record: "right \(id)") }
        return try decodeRight(row).value
    }

    /// The workflow event a recorded right event is, or `nil` for docket-only events (an office
    /// action, an annuity paid, a national phase entered on a national right …). A `filed` or
    /// `granted` without a number uses the right's.
    func workflowEvent(for event: RightEvent, of right: Right) -> RightWorkflow.Event? {
        var event = event
        switch event.kind {
        case .filed: event.reference = event.reference ?? right.applicationNumber
        case .granted: event.reference = event.reference ?? right.registrationNumber
        case .nationalPhaseEntered:
            // On a national or regional right the entry is docket-only (it closes the national-phase
            // deadline); on a PCT application `reference` lists the offices entered ("EA, EP"),
            // and the workflow's guard asks for at least one.
            guard right.kind == .pctApplication else { return nil }
            let entries = (event.reference ?? "").split(separator: ",").compactMap {
                Jurisdiction(String($0).trimmingCharacters(in: .whitespaces))
            }
            return .nationalPhaseEntered(on: event.date, entries: entries.map { NationalPhaseEntry($0) })
        default: break
        }
        return RightWorkflow.Event(event)
    }

    func apply(_ transition: RightWorkflow.Event?, to right: Right, recording event: RightEvent?) async throws
        -> RecordedEvent
    {
        let record = "right \(right.reference)"
        var updated = right
        var effects: [WorkflowEffect] = [.recomputeDeadlines(for: .right(right.id))]
        if let transition {
            effects = try workflowStep(record) { () throws(WorkflowError) in try updated.apply(transition) }
        }
        // The workflow first (what the state allows), then the order of the dates.
        if let event {
            let recorded = try await events(of: right.id).map(\.event)
            if let problem = EventChronology(right: right, recorded: recorded).problem(with: event, today: .todayUTC) {
                throw StoreError.invalid(record: record, reason: "event \(problem)")
            }
        }
        return try await naming(record) {
            var eventID: Int64?
            if let event {
                let rows = try await connection.query(
                    """
                    INSERT INTO right_events (office_id, right_id, kind, event_date, year, reference)
                    VALUES (\(office), \(right.id), \(event.kind), \(event.date), \(event.year.map(Int16.init)),
                            \(event.reference))
                    RETURNING id
                    """)
                eventID = try rows[0].decode(Int64.self, at: 0)
            }
            if transition != nil {
                _ = try await connection.execute(
                    """
                    UPDATE rights SET state = \(updated.state), restorable_until = \(updated.restorableUntil),
                           filing_date = \(updated.filingDate), application_number = \(updated.applicationNumber),
                           publication_date = \(updated.publicationDate), grant_date = \(updated.grantDate),
                           registration_number = \(updated.registrationNumber)
                    WHERE office_id = \(office) AND id = \(right.id)
                    """)
            }
            let eventName = transition?.kind.rawValue ?? event?.kind.rawValue ?? "event"
            try await appendHistory(
                entity: "right", id: right.id.rawValue, event: eventName, from: right.state.rawValue,
                to: updated.state.rawValue, on: event?.date ?? transition?.date,
                details: try PostgresJSON(encoding: HistoryDetails(event: event, transition: transition)))
            let jobs = try await carryOut(effects)
            return RecordedEvent(
                eventID: eventID, fromState: right.state.rawValue, toState: updated.state.rawValue, effects: effects,
                jobs: jobs)
        }
    }

    /// Applies an event to a disclosure's workflow in this transaction (history, state, jobs);
    /// `date` is the day it happened, kept in the history.
    @discardableResult
    public func applyDisclosureEvent(
        _ id: ID<Disclosure>, _ event: DisclosureWorkflow.Event, on date: CivilDate? = nil
    ) async throws -> RecordedEvent {
        let rows = try await connection.query(
            "\(unescaped: Self.disclosureColumns) WHERE d.office_id = \(office) AND d.id = \(id) FOR UPDATE OF d")
        guard let row = rows.first else { throw StoreError.notFound(record: "disclosure \(id)") }
        let disclosure = try decodeDisclosure(row).value
        let record = "disclosure \(disclosure.reference)"
        var updated = disclosure
        let effects = try workflowStep(record) { () throws(WorkflowError) in try updated.apply(event) }
        return try await naming(record) {
            try await replaceInventors(of: id, with: updated.inventors)
            _ = try await connection.execute(
                """
                UPDATE disclosures SET state = \(updated.state), hold_review_on = \(updated.reviewOn)
                WHERE office_id = \(office) AND id = \(id)
                """)
            try await appendHistory(
                entity: "disclosure", id: id.rawValue, event: event.kind.rawValue, from: disclosure.state.rawValue,
                to: updated.state.rawValue, on: date, details: try PostgresJSON(encoding: event))
            let jobs = try await carryOut(effects)
            return RecordedEvent(
                eventID: nil, fromState: disclosure.state.rawValue, toState: updated.state.rawValue, effects: effects,
                jobs: jobs)
        }
    }

    /// Applies an event to a deal's workflow in this transaction (`date`: the day it happened,
    /// kept in the history). `execute-agreement` creates the agreement and signs it in the same
    /// transaction — on `date`, with the deal's counterparty and rights and `terms` — through the
    /// agreement's own workflow, so what signing needs and is missing is refused, naming it, and
    /// nothing is written.
    @discardableResult
    public func applyDealEvent(
        _ id: ID<Deal>, _ event: DealWorkflow.Event, on date: CivilDate? = nil, terms: FinancialTerms? = nil
    ) async throws -> RecordedEvent {
        let rows = try await connection.query(
            "\(unescaped: Self.dealColumns) WHERE d.office_id = \(office) AND d.id = \(id) FOR UPDATE OF d")
        guard let row = rows.first else { throw StoreError.notFound(record: "deal \(id)") }
        let deal = try decodeDeal(row).value
        let record = "deal \(deal.reference)"
        var event = event
        if case .startEvaluation(let given?) = event {
            // The NDA or MTA as stored (its kind and whether it is signed), not as the caller said.
            let found = try await connection.query(
                "SELECT kind, state FROM agreements WHERE office_id = \(office) AND id = \(given.agreement) FOR SHARE")
            guard let stored = found.first else { throw StoreError.notFound(record: "agreement \(given.agreement)") }
            let (kind, state) = try stored.decode(Agreement.Kind.self, AgreementWorkflow.State.self)
            event = .startEvaluation(under: .init(agreement: given.agreement, kind: kind, state: state))
        }
        var updated = deal
        let effects = try workflowStep(record) { () throws(WorkflowError) in try updated.apply(event) }
        return try await naming(record) {
            // First the effects: an executed deal needs its agreement before its state changes.
            var jobs = try await carryOut(effects)
            if case .executeAgreement = event, let created = try await self.deal(id).value.agreement {
                let draft = try await agreement(created).value
                do {
                    jobs += try await applyAgreementEvent(
                        created,
                        .execute(
                            AgreementWorkflow.Execution(
                                on: date ?? .todayUTC, counterparties: draft.counterparties,
                                rightsCovered: draft.rightsCovered, financialTerms: terms))
                    ).jobs
                } catch StoreError.workflow(_, let reason) {
                    throw StoreError.workflow(
                        record: record,
                        reason: "deal \(deal.reference) is '\(deal.state.rawValue)'; 'execute-agreement' cannot sign "
                            + "the agreement: \(reason) (the counterparty and rights come from the deal, the terms "
                            + "from --currency, --upfront, --royalty-rate …)")
                }
            }
            _ = try await connection.execute(
                "UPDATE deals SET state = \(updated.state) WHERE office_id = \(office) AND id = \(id)")
            try await appendHistory(
                entity: "deal", id: id.rawValue, event: event.kind.rawValue, from: deal.state.rawValue,
                to: updated.state.rawValue, on: date, details: try PostgresJSON(encoding: event))
            return RecordedEvent(
                eventID: nil, fromState: deal.state.rawValue, toState: updated.state.rawValue, effects: effects,
                jobs: jobs)
        }
    }

    /// Applies an event to an agreement's workflow in this transaction; an exercised option
    /// creates its licence (a draft) in the same transaction.
    @discardableResult
    public func applyAgreementEvent(_ id: ID<Agreement>, _ event: AgreementWorkflow.Event) async throws
        -> RecordedEvent
    {
        let rows = try await connection.query(
            "\(unescaped: Self.agreementColumns) WHERE a.office_id = \(office) AND a.id = \(id) FOR UPDATE OF a")
        guard let row = rows.first else { throw StoreError.notFound(record: "agreement \(id)") }
        let agreement = try decodeAgreement(row).value
        let record = "agreement \(agreement.reference)"
        var updated = agreement
        let effects = try workflowStep(record) { () throws(WorkflowError) in try updated.apply(event) }
        return try await naming(record) {
            _ = try await connection.execute(
                """
                UPDATE agreements SET state = \(updated.state), executed_on = \(updated.executedOn),
                       starts_on = \(updated.term.startsOn), ends_on = \(updated.term.endsOn),
                       financial_terms = \(try updated.financialTerms.map { try PostgresJSON(encoding: $0) })
                WHERE office_id = \(office) AND id = \(id)
                """)
            // Only an event that changes the parties or rights rewrites the links (the daemon,
            // which lapses options, may not write links and never changes them).
            if updated.counterparties != agreement.counterparties || updated.rightsCovered != agreement.rightsCovered {
                try await replaceAgreementLinks(of: updated)
            }
            try await appendHistory(
                entity: "agreement", id: id.rawValue, event: event.kind.rawValue, from: agreement.state.rawValue,
                to: updated.state.rawValue, on: event.date, details: try PostgresJSON(encoding: event))
            let jobs = try await carryOut(effects)
            return RecordedEvent(
                eventID: nil, fromState: agreement.state.rawValue, toState: updated.state.rawValue, effects: effects,
                jobs: jobs)
        }
    }

    func appendHistory(
        entity: String, id: Int64, event: String, from: String, to: String, on date: CivilDate?, details: PostgresJSON?
    ) async throws {
        _ = try await connection.execute(
            """
            INSERT INTO workflow_history (office_id, entity_type, entity_id, event, from_state, to_state, occurred_on,
                                          details)
            VALUES (\(office), \(entity), \(id), \(event), \(from), \(to), \(date), \(details))
            """)
    }

    /// Carries out effects in this transaction: records are created here; deadline work,
    /// follow-ups and notices become jobs for the daemon. Returns the queued jobs.
    func carryOut(_ effects: [WorkflowEffect]) async throws -> [Int64] {
        var jobs: [NewJob] = []
        for effect in effects {
            let payload = try PostgresJSON(encoding: effect)
            switch effect {
            case .scheduleDeadlines(let subject), .recomputeDeadlines(let subject):
                // The same work (the daemon computes from the record's events as they are when it
                // runs): one spelling, so a recomputation still queued covers it (`enqueue`).
                jobs.append(
                    NewJob(
                        kind: .recomputeDeadlines,
                        payload: try PostgresJSON(encoding: WorkflowEffect.recomputeDeadlines(for: subject))))
            case .recountDeadlines:
                jobs.append(NewJob(kind: .recomputeDeadlines, payload: payload))
            case .scheduleFollowUp(_, let date, _):
                jobs.append(NewJob(kind: .followUp, payload: payload, runOn: date))
            case .notify:
                jobs.append(NewJob(kind: .notify, payload: payload))
            case .createAgreement(let dealID, let kind):
                try await createAgreement(fromDeal: dealID, kind: kind)
            case .createLicence(let optionID, let kind, let effectiveOn):
                try await createLicence(fromOption: optionID, kind: kind, effectiveOn: effectiveOn)
            case .createNationalRights(let pct, let entries, let enteredOn):
                try await createNationalRights(from: pct, entries: entries, enteredOn: enteredOn)
            }
        }
        return try await enqueue(jobs)
    }

    func createAgreement(fromDeal dealID: ID<Deal>, kind: Agreement.Kind) async throws {
        let deal = try await self.deal(dealID).value
        let agreement = try await createAgreement(
            Agreement(
                id: 0, office: office, reference: "\(deal.reference)/\(kind.rawValue)", kind: kind,
                counterparties: deal.counterparty.map { [$0] } ?? [], rightsCovered: deal.rights, deal: dealID))
        _ = try await connection.execute(
            "UPDATE deals SET agreement_id = \(agreement.id) WHERE office_id = \(office) AND id = \(dealID)")
    }

    func createLicence(fromOption optionID: ID<Agreement>, kind: Agreement.Kind, effectiveOn: CivilDate) async throws {
        let option = try await agreement(optionID).value
        _ = try await createAgreement(
            Agreement(
                id: 0, office: office, reference: "\(option.reference)/\(kind.rawValue)", kind: kind,
                counterparties: option.counterparties, rightsCovered: option.rightsCovered,
                fieldOfUse: option.fieldOfUse, territory: option.territory,
                term: AgreementTerm(startsOn: effectiveOn), deal: option.deal, option: optionID))
    }

    func createNationalRights(from pctID: ID<Right>, entries: [NationalPhaseEntry], enteredOn: CivilDate) async throws {
        let pct = try await right(pctID).value
        for entry in entries {
            _ = try await createRight(
                Right(
                    id: 0, office: office, reference: "\(pct.reference)/\(entry.jurisdiction.code)",
                    title: pct.title, jurisdiction: entry.jurisdiction, kind: entry.kind, disclosure: pct.disclosure,
                    family: pct.family, parentPCT: pctID, responsibleAttorney: pct.responsibleAttorney,
                    filingDate: pct.filingDate, priorityClaims: pct.priorityClaims,
                    // An office without rules (CN, JP …): entered by hand, and shown so, never silently empty.
                    deadlines: Right.hasRules(entry.jurisdiction, entry.kind) ? .computed : .manual))
        }
    }
}

/// What the history keeps of a right event: the recorded fact and the workflow event, if any.
struct HistoryDetails: Encodable {
    var event: RightEvent?
    var transition: RightWorkflow.Event?
}

extension CivilDate {
    /// Today's date in UTC (what the store compares recorded dates with).
    public static var todayUTC: CivilDate {
        CivilDate(daysSinceEpoch: Int32((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
