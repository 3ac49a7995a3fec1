import IPCase
import IPCaseReports
import IPCaseStore

extension Demo {
    /// The exchange rates the demo's forecast converts at: round illustrative figures dated
    /// `asOf`, named as such in the output (the forecast never fetches rates).
    public static func illustrativeRates(asOf: CivilDate) throws -> ExchangeRates {
        try ExchangeRates([
            ExchangeRate(currency: .eur, date: asOf, kzt: "600", source: "illustrative demo rate, not official"),
            ExchangeRate(currency: .usd, date: asOf, kzt: "520", source: "illustrative demo rate, not official"),
        ])
    }

    /// The budget forecast of `office` as `ipcase budget forecast --by jurisdiction` prints it:
    /// the official fees of its live rights for `years` calendar years from `asOf`, in KZT at
    /// ``illustrativeRates(asOf:)``, given the renewal decisions taken.
    public static func budgetForecast(
        store: Store, office: ID<Office>, officeName: String, asOf: CivilDate, years: Int = 5
    ) async throws -> String {
        let rights = try await store.withOffice(office, actor: "ipcase-demo") { try await $0.forecastRights() }
        let forecast = try BudgetForecast(
            rights: rights, from: asOf, years: years, by: .jurisdiction, rates: try illustrativeRates(asOf: asOf))
        let rules = Set(forecast.unpriced.map(\.rule)).sorted()
        var text = "\n" + forecast.text(officeName: officeName, unpricedLimit: 5)
        if !forecast.unpriced.isEmpty {
            text +=
                "The fee files hold no amount for \(rules.joined(separator: ", ")) in those years (no official"
                + " source in them yet): add your office's schedule with --fees FILE (ipcase fees list shows the format).\n"
        }
        return text
    }
}
