import IPCase

extension Localizer {
    /// The label of a tally row: the catalog's `group.key` (`sector.academia`, `funding.venture`).
    func label(_ group: String, _ key: String) -> String { catalog("\(group).\(key)") }

    /// A region's (or city's) name from its key; `unknown` and `unspecified` have their own.
    func region(_ key: String) -> String { catalog("region.\(key)") }

    /// Where a licensee is, from its key: a region, `kz-unspecified`, `abroad-xx`, `unknown`.
    func licenseeLocation(_ key: String) -> String {
        if key.hasPrefix("abroad-") {
            return catalog("location.abroad", ["country": key.dropFirst("abroad-".count).uppercased()])
        }
        if key == "kz-unspecified" || key == "unknown" { return catalog("location.\(key)") }
        return region(key)
    }

    /// An agreement kind's name from its key, or `unknown` (agreement not supplied).
    func agreementKind(_ key: String) -> String { catalog("agreement.\(key)") }

    /// A row of the patent costs by jurisdiction: the code, or `family` in words.
    func jurisdictionGroup(_ group: String) -> String {
        group == "family" ? catalog("costs.group.family") : group
    }

    /// A row of the patent costs by disclosure: its reference and title, or `none` in words.
    func disclosureGroup(_ row: SpendingRow) -> String {
        row.group == "none" ? catalog("costs.group.none") : row.label
    }
}
