import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI
import IPCaseStore

/// `ipcase distribution --payment ID --office ID`.
struct DistributionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distribution",
        abstract: "Split a payment received among inventors, department and institution by the office's policy.",
        discussion: """
            The policy in force on the payment's date applies (administrative share,
            recovery of patent costs, inventors / department / institution shares); the
            inventors are those of the disclosures behind the rights the agreement
            covers. Amounts are exact: the lines sum to the payment to the last minor
            unit. The split is stored once: asked again, the stored split is shown as it
            was computed (with who computed it and when); --recompute marks it superseded
            and stores a new one (after a policy or the inventors were corrected), both kept
            in the history and the audit trail. A new office first needs a policy:
            `ipcase policies create`.

            Examples:
              ipcase distribution --office 1 --payment 12
              ipcase distribution --office 1 --payment 12 --recompute --actor aliya
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption
    @Option(help: "The payment (its key).") var payment: Int64
    @Option(help: "The office (its key).") var office: Int64
    @Option(help: "table or json.") var format: String = "table"
    @Flag(help: "Replace the payment's stored split with a new one (the old one is kept, superseded).")
    var recompute = false

    func run() async throws {
        guard ["table", "json"].contains(format) else {
            throw CLIError.usage("--format: '\(format)' is not table or json")
        }
        let store = try await store.connect()
        let result: Distributions.Result
        do {
            result = try await Distributions.distribute(
                store: store, office: ID(rawValue: office), payment: ID(rawValue: payment),
                actor: actor.name, recompute: recompute)
        } catch let error as StoreError {
            throw CLIError.usage(error.description)
        }
        if format == "json" {
            let lines = result.lines.map { line -> [String: Any] in
                [
                    "recipient": line.recipient, "name": line.name ?? NSNull(), "minor_units": line.amount.minorUnits,
                    "currency": line.amount.currency.code,
                ]
            }
            let object: [String: Any] = [
                "payment": payment, "gross_minor_units": result.gross.minorUnits,
                "currency": result.gross.currency.code, "lines": lines, "policy": result.policy,
                "computed_by": result.computedBy, "computed_at": result.computedAt, "outcome": Self.outcome(result.outcome),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let labels = result.lines.map { line in line.name.map { "\(line.recipient) \($0)" } ?? line.recipient }
        let width = max(labels.map(\.count).max() ?? 0, 5)
        for (label, line) in zip(labels, result.lines) {
            print(label.padding(toLength: width + 2, withPad: " ", startingAt: 0) + line.amount.description)
        }
        print("total".padding(toLength: width + 2, withPad: " ", startingAt: 0) + result.gross.description)
        let how =
            switch result.outcome {
            case .computed: "computed now"
            case .stored: "stored before; --recompute replaces it"
            case .recomputed(let old): "recomputed, replacing distribution \(old)"
            }
        print("policy \(result.policy); by \(result.computedBy) at \(result.computedAt) (\(how))")
    }

    /// `computed`, `stored` or `recomputed`.
    static func outcome(_ outcome: DistributionOutcome) -> String {
        switch outcome {
        case .computed: "computed"
        case .stored: "stored"
        case .recomputed: "recomputed"
        }
    }
}
