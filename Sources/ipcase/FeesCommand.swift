import ArgumentParser
import Foundation
import IPCase
import IPCaseCLI

/// `ipcase fees list|quote`: the official fee schedules, as data with their sources.
struct FeesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fees",
        abstract: "The official fee schedules (EP, US, KZ) with their sources, and the price of a deadline.",
        discussion: """
            Fees are data like the rules: one reviewable file per office, each fee with the rule
            it prices, its years, the day it applies from, its legal source and confirmed or
            unconfirmed. A deadline is priced by the fee in force on its due date; in the grace
            period the surcharge is added; KZ fees add VAT at the rate in force that day, and a
            fee set in MCI uses the MCI of that day (3 932 KZT in 2025, 4 325 KZT from 2026).

            Examples:
              ipcase fees list --office EP
              ipcase fees quote --rule EP.renewal --year 5 --due 2026-03-31 --grace
              ipcase fees quote --rule US.maintenance-fee --year 7.5 --due 2027-07-20 \\
                  --entity small
              ipcase fees list --file our-fees.json

            --file adds a fee file of your own in the same format (a fee with the id of an
            embedded one replaces it), e.g. the later KZ annuity years from the institute's
            price list, which the embedded data does not have.
            """,
        subcommands: [List.self, Quote.self])

    static func schedules(_ paths: [String]) throws -> FeeSchedules {
        guard !paths.isEmpty else { return .standard }
        let files = try paths.map { path -> (path: String, contents: String) in
            do { return (path, try String(contentsOfFile: path, encoding: .utf8)) } catch {
                throw CLIError.usage("--file \(path): cannot read it (\(error.localizedDescription))")
            }
        }
        do { return try FeeSchedules.standard.adding(files: files) } catch {
            throw CLIError.usage(error.description)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the fees, newest first per rule.",
            discussion: "Example:\n  ipcase fees list --office KZ --format json")
        @Option(help: "Only this office (EP, US, KZ).") var office: String?
        @Option(help: "A fee file of your own (repeatable).") var file: [String] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let fees = try FeesCommand.schedules(file).fees.filter { fee in
                office.map { fee.rule.hasPrefix($0.uppercased() + ".") } ?? true
            }
            switch output.format {
            case .table:
                print(
                    table(
                        ["ID", "RULE", "KINDS", "ENTITY", "FROM", "YEARS: AMOUNT", "STATUS", "SOURCE"],
                        fees.map { fee in
                            [
                                fee.id, fee.rule, fee.kinds?.map(\.rawValue).joined(separator: ",") ?? "all",
                                fee.entity?.rawValue ?? "any", fee.validFrom.description,
                                fee.amounts.map { amount in
                                    (amount.years.map { $0 + ": " } ?? "")
                                        + (amount.mci.map { $0 + " MCI" } ?? "\(amount.amount ?? "") \(fee.currency.code)")
                                }.joined(separator: "; ") + (fee.vat == true ? " + VAT" : ""),
                                fee.status.rawValue, fee.citation,
                            ]
                        }), terminator: "")
            case .json:
                let data = try JSONEncoder.sorted.encode(fees)
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }

    struct Quote: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Price one deadline: the fee in force on its due date, explained line by line.",
            discussion: "Example:\n  ipcase fees quote --rule KZ.annual-fee --kind patent --year 2 --due 2026-05-10")
        @Option(help: "The deadline rule, e.g. EP.renewal.") var rule: String
        @Option(help: "The right kind.") var kind: String = "patent"
        @Option(help: "The fee year, e.g. 5 or 7.5 (none for a one-off fee).") var year: Double?
        @Option(help: "The due date (YYYY-MM-DD).") var due: String
        @Option(help: "US entity size: large, small or micro.") var entity: String = "large"
        @Flag(help: "Paid in the grace period (with the surcharge).") var grace = false
        @Option(help: "A fee file of your own (repeatable).") var file: [String] = []

        func run() throws {
            let dueDate = try CLIParse.date(due, option: "--due")
            guard let kind = RightKind(rawValue: kind) else {
                throw CLIError.usage("--kind: '\(kind)' is not one of \(RightKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let size = EntitySize(rawValue: entity) else { throw CLIError.usage("--entity: '\(entity)' is not large, small or micro") }
            var feeYear: FeeYear?
            if let year {
                guard (year * 2).rounded() == year * 2, year > 0, year < 200 else {
                    throw CLIError.usage("--year: \(year) is not a whole or half year")
                }
                feeYear = FeeYear(halfYears: Int16(year * 2))
            }
            let schedules = try FeesCommand.schedules(file)
            guard let quote = schedules.quote(rule: rule, kind: kind, year: feeYear, due: dueDate, entity: size, inGrace: grace)
            else {
                throw CLIError.failure(
                    "no fee prices \(rule)\(feeYear.map { " year \($0)" } ?? "") for a \(kind.rawValue) due \(dueDate) in the schedules")
            }
            for line in quote.explanation { print(line) }
        }
    }
}

extension JSONEncoder {
    /// Pretty, sorted keys: stable output for scripts.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
