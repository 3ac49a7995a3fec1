import Foundation
import IPCase
import Testing

@testable import IPCaseSamples

/// A strict RFC 4180 reader for the tests (the import uses a CSV library): it refuses stray
/// quotes and bare line feeds, so a writer bug cannot hide behind a lenient parser.
enum StrictCSV {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var fieldStarted = false
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if characters.first == "\"" {
                        characters.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        guard characters.first == "," || characters.first == "\r" || characters.isEmpty else {
                            throw Malformed(description: "text after a closing quote in record \(records.count + 1)")
                        }
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard !fieldStarted, field.isEmpty else {
                    throw Malformed(description: "stray quote in record \(records.count + 1)")
                }
                quoted = true
                fieldStarted = true
            case ",":
                record.append(field)
                field = ""
                fieldStarted = false
            case "\r":
                guard characters.popFirst() == "\n" else { throw Malformed(description: "CR without LF") }
                record.append(field)
                records.append(record)
                record = []
                field = ""
                fieldStarted = false
            case "\n":
                throw Malformed(description: "bare LF in record \(records.count + 1)")
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        guard !quoted else { throw Malformed(description: "unterminated quote") }
        guard record.isEmpty, field.isEmpty else { throw Malformed(description: "last record not ended by CRLF") }
        return records
    }

    /// The records as dictionaries by header name, checking every record's width.
    static func table(_ text: String, columns: [String]) throws -> [[String: String]] {
        let records = try parse(text)
        guard records.first == columns else {
            throw Malformed(description: "header \(records.first ?? []) ≠ \(columns)")
        }
        return try records.dropFirst().map { record in
            guard record.count == columns.count else {
                throw Malformed(description: "record of \(record.count) fields, header has \(columns.count)")
            }
            return Dictionary(uniqueKeysWithValues: zip(columns, record))
        }
    }
}

@Suite("CSV formats")
struct SampleCSVTests {
    let demo = Fixture.demo

    @Test(arguments: [
        ("plain", "plain"),
        ("Co., Ltd.", "\"Co., Ltd.\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        (" edge", "\" edge\""),
        ("", ""),
        ("Қазақ тілі", "Қазақ тілі"),
    ])
    func fieldsAreQuotedOnlyWhenRFC4180NeedsIt(text: String, written: String) throws {
        #expect(CSVText.field(text) == written)
        #expect(try StrictCSV.parse(CSVText.record([text, "x"])) == [[text, "x"]])
    }

    @Test(arguments: [
        (Money(minorUnits: 123_456_789, .kzt), "1234567.89"),
        (Money(minorUnits: -5, .usd), "-0.05"),
        (Money(minorUnits: 1_000, .jpy), "1000"),
        (Money(minorUnits: 1_234, .kwd), "1.234"),
    ])
    func amountsArePlainDecimalsThatMoneyParses(money: Money, text: String) throws {
        #expect(CSVText.decimal(money) == text)
        #expect(try Money(parsing: "\(text) \(money.currency.code)") == money)
    }

    @Test func percentagesParseBackToTheSameBasisPoints() {
        for rate: BasisPoints in [0, 5, 150, 2_500, 10_000] {
            #expect(BasisPoints(percent: CSVText.percent(rate)) == rate)
        }
    }

    @Test func everyFileParsesWithItsHeaderAndOneRowPerRecord() throws {
        let files = Dictionary(uniqueKeysWithValues: demo.csvFiles.map { ($0.name, $0.contents) })
        #expect(
            try StrictCSV.table(files["parties.csv"]!, columns: RecordFile.parties.columns).count == demo.parties.count)
        #expect(try StrictCSV.table(files["rights.csv"]!, columns: RecordFile.rights.columns).count == demo.rights.count)
        #expect(
            try StrictCSV.table(files["events.csv"]!, columns: RecordFile.events.columns).count
                == demo.rights.reduce(0) { $0 + $1.history.count })
        #expect(
            try StrictCSV.table(files["agreements.csv"]!, columns: RecordFile.agreements.columns).count
                == demo.agreements.count)
        #expect(
            try StrictCSV.table(files["obligations.csv"]!, columns: RecordFile.obligations.columns).count
                == demo.agreements.reduce(0) {
                    $0 + $1.agreement.obligations.count + ($1.agreement.financialTerms?.milestones.count ?? 0)
                })
        #expect(
            try StrictCSV.table(files["payments.csv"]!, columns: RecordFile.payments.columns).count == demo.payments.count
        )
    }

    /// What the import will do: rebuild each right's history from `events.csv` and replay it.
    @Test func eventsFileRebuildsEveryRightsState() throws {
        let files = Dictionary(uniqueKeysWithValues: demo.csvFiles.map { ($0.name, $0.contents) })
        let rights = try StrictCSV.table(files["rights.csv"]!, columns: RecordFile.rights.columns)
        let events = try StrictCSV.table(files["events.csv"]!, columns: RecordFile.events.columns)
        var history: [String: [RightStep]] = [:]
        let kinds = Dictionary(uniqueKeysWithValues: rights.map { ($0["ref"]!, RightKind(rawValue: $0["kind"]!)!) })
        for row in events {
            let step = RightStep(
                event: row["event"]!, date: try CivilDate(iso: row["date"]!), year: Int(row["year"]!),
                reference: row["reference"]!.isEmpty ? nil : row["reference"],
                restorableUntil: row["restorable_until"]!.isEmpty ? nil : try CivilDate(iso: row["restorable_until"]!),
                rightKind: kinds[row["right_ref"]!]!)
            history[row["right_ref"]!, default: []].append(try #require(step))
        }
        for (index, row) in rights.enumerated() {
            let reference = row["ref"]!
            let steps = history[reference] ?? []
            #expect(steps == demo.rights[index].history, "\(reference)")
            var machine = RightWorkflow(id: ID(Int64(index + 1)), label: reference, kind: kinds[reference]!)
            for step in steps {
                if case .workflow(let event) = step { _ = try machine.apply(event) }
            }
            #expect(machine.state.rawValue == row["state"]!, "\(reference)")
            if let filed = steps.first(where: { $0.eventName == "filed" })?.rightEvent {
                #expect(row["filing_date"] == filed.date.description)
                #expect(row["application_number"] == filed.reference)
            }
        }
    }

    @Test func agreementRowsNameTheirPartiesRightsAndOptions() throws {
        let files = Dictionary(uniqueKeysWithValues: demo.csvFiles.map { ($0.name, $0.contents) })
        let parties = Set(
            try StrictCSV.table(files["parties.csv"]!, columns: RecordFile.parties.columns).map { $0["name"]! })
        let rights = Set(try StrictCSV.table(files["rights.csv"]!, columns: RecordFile.rights.columns).map { $0["ref"]! })
        var agreements = Set<String>()
        for row in try StrictCSV.table(files["agreements.csv"]!, columns: RecordFile.agreements.columns) {
            for name in row["counterparties"]!.split(separator: ";") { #expect(parties.contains(String(name))) }
            for reference in row["rights"]!.split(separator: ";") { #expect(rights.contains(String(reference))) }
            if let option = row["option_ref"], !option.isEmpty { #expect(agreements.contains(option)) }
            agreements.insert(row["ref"]!)
        }
        for row in try StrictCSV.table(files["payments.csv"]!, columns: RecordFile.payments.columns) {
            #expect(agreements.contains(row["agreement_ref"]!))
            #expect(try Money(parsing: "\(row["amount"]!) \(row["currency"]!)").minorUnits > 0)
        }
    }

    /// `Deploy/samples/*.csv` are the excerpt of the demo (seed 42, 2025-06-30), at most 50 rows
    /// each. Run with `IPCASE_WRITE_SAMPLES=1` to rewrite them after a deliberate change.
    @Test func deploySampleFilesAreTheCurrentExcerpt() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Deploy/samples")
        let excerpt = demo.excerpt(maxRows: 50)
        let write = ProcessInfo.processInfo.environment["IPCASE_WRITE_SAMPLES"] == "1"
        if write { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        for (name, contents) in excerpt.csvFiles {
            let rows = try StrictCSV.parse(contents).count - 1
            #expect(rows >= 1 && rows <= 50, "\(name) has \(rows) rows")
            let url = directory.appendingPathComponent(name)
            if write { try contents.write(to: url, atomically: true, encoding: .utf8) }
            let stored = try String(contentsOf: url, encoding: .utf8)
            #expect(stored == contents, "\(name) differs from the generated excerpt")
        }
    }

    @Test func excerptIsSelfContained() throws {
        let excerpt = demo.excerpt(maxRows: 50)
        let rightIDs = Set(excerpt.rights.map(\.right.id))
        #expect(excerpt.agreements.flatMap(\.agreement.rightsCovered).allSatisfy(rightIDs.contains))
        #expect(excerpt.rights.compactMap(\.right.parentPCT).allSatisfy(rightIDs.contains))
        #expect(Set(excerpt.agreements.map(\.agreement.kind)).count >= 4)
        #expect(Set(excerpt.rights.map(\.right.kind)).count >= 4)
    }
}
