import Foundation
import IPCase

/// A rate table the user supplies as CSV (`ipcase report --rates FILE`), read into
/// `ExchangeRates`. IPCase never fetches rates: the file is the user's, and every output that
/// converts names the rates it used.
///
/// Columns (in any order, others ignored): `currency` (ISO code, not KZT), `date`
/// (`YYYY-MM-DD`, the day the rate is for; it applies from then until the next one), `kzt`
/// (the tenge value, a plain decimal with up to six decimals: `470.25`), `source` (where the
/// figure comes from); optional `units` (how many units of the currency the rate is for, 1 by
/// default, e.g. 100 where the source quotes per 100).
///
/// ```
/// currency,date,kzt,source
/// USD,2025-01-02,525.11,National Bank of Kazakhstan official rate
/// EUR,2025-01-02,545.58,National Bank of Kazakhstan official rate
/// ```
public enum RateTable {
    /// The columns every rate table has.
    public static let columns = ["currency", "date", "kzt", "source"]

    /// Reads the table at `path`; every problem of every row is reported (naming the row and
    /// column) and none of the file is used when there is one.
    /// - Throws: `CSVImport.Problems` or `CLIError.usage` for an unreadable file.
    public static func read(path: String) throws -> ExchangeRates {
        let table = try CSVTable.read(.path(path), columns: columns)
        var problems = RowProblems(file: table.name)
        var rates: [ExchangeRate] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let currency: Currency?
            do { currency = try FieldValues.currency(row["currency"]) } catch {
                problems.add(row, "currency", error.text)
                currency = nil
            }
            if currency == .kzt { problems.add(row, "currency", "KZT needs no rate; list other currencies only") }
            let date = row.date("date", &problems, required: true)
            let source = row["source"]
            if source.isEmpty { problems.add(row, "source", "say where the rate comes from") }
            var units: Int64 = 1
            if !row["units"].isEmpty {
                if let value = Int64(row["units"]), value > 0 { units = value } else {
                    problems.add(row, "units", "'\(row["units"])' is not a positive whole number")
                }
            }
            if row["kzt"].isEmpty { problems.add(row, "kzt", "a rate is required") }
            guard let currency, currency != .kzt, let date, !source.isEmpty, !row["kzt"].isEmpty else { continue }
            let key = "\(currency.code) \(date)"
            if let first = seen[key] {
                problems.add(row, "date", "a second \(currency.code) rate for \(date) (the first is on row \(first))")
                continue
            }
            seen[key] = row.line
            do {
                rates.append(try ExchangeRate(currency: currency, date: date, kzt: row["kzt"], units: units, source: source))
            } catch {
                problems.add(row, "kzt", error.description)
            }
        }
        guard problems.isEmpty else { throw CSVImport.Problems(problems.items, outcome: "the rate table was not used") }
        // Duplicates were refused above, so the table cannot refuse them again.
        return try ExchangeRates(rates)
    }
}
