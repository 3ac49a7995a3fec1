import IPCase

/// A generated right with its whole history, oldest first.
///
/// The history mixes workflow events (they move the right through `RightWorkflow`) and
/// docket-only events (priority, office actions, fees paid …, which only the deadline engine
/// reads). Replaying ``workflowEvents`` on a new draft machine reaches `right.state`; ``events``
/// is what the store records for the engine and what `events.csv` lists.
public struct SampleRight: Hashable, Sendable {
    /// The record, in the state its history leads to.
    public var right: Right
    /// The IPC symbols of the invention (designs and trademarks have none).
    public var ipcSymbols: [IPCSymbol]
    /// The history, ordered by date (events of one day in the order they happened).
    public var history: [RightStep]
    /// The reference of its family (`right.family`), e.g. `ATU-2021-007`.
    public var familyReference: String?
    /// The reference of the PCT application it entered from (`right.parentPCT`).
    public var parentReference: String?

    /// Creates a sample right.
    public init(
        right: Right, ipcSymbols: [IPCSymbol] = [], history: [RightStep], familyReference: String? = nil,
        parentReference: String? = nil
    ) {
        self.right = right
        self.ipcSymbols = ipcSymbols
        self.history = history
        self.familyReference = familyReference
        self.parentReference = parentReference
    }

    /// Every event as the deadline engine sees it (all steps but `entered-into-force`).
    public var events: [RightEvent] { history.compactMap(\.rightEvent) }

    /// The workflow events, in order: replayed on `RightWorkflow(id:kind:)` they reach `right.state`.
    public var workflowEvents: [RightWorkflow.Event] {
        history.compactMap { step in
            switch step {
            case .workflow(let event): event
            case .docket: nil
            }
        }
    }

    /// The date of the latest step, if any.
    public var lastEventDate: CivilDate? { history.last?.date }
}
