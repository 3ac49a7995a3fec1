import IPCase

extension RegisterRecord {
    /// Adds what a register's code says happened, by the legal-status table: an event with the
    /// code, its date, fee year and state, or — for a code the table does not map to an event, or
    /// whose date is missing — the code kept in `unmapped`.
    ///
    /// - Parameters:
    ///   - fields: the code's fields by name (OPS `L007EP` …; EP Register text and date types such
    ///     as `YEAR`, `DATE_OF_PAYMENT`), as the register wrote them.
    ///   - fallbackDate: the date to use when none of the row's date fields is given (an OPS
    ///     gazette date, an EP Register step's first date).
    ///   - fallbackReference: the state or document when the row names no reference field.
    mutating func addStatus(
        _ scheme: LegalStatusCode.Scheme, code: String, office: String?, fields: [String: String],
        description: String?, fallbackDate: CivilDate?, fallbackReference: String? = nil,
        table: LegalStatusCodes, source: RegisterSource
    ) {
        let row = table.row(scheme, code: code, office: office)
        let reference =
            row?.referenceField.flatMap { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            ?? fallbackReference
        let rowDate = row?.dateFields.lazy.compactMap { fields[$0].flatMap(CivilDate.init(register:)) }
            .first
        guard let row, let kind = row.event else {
            unmapped.append(
                RegisterStatusCode(
                    code: code, office: office, description: description, date: rowDate ?? fallbackDate,
                    reference: reference, reason: row == nil ? .notInTable : .notAnEvent, source: source))
            return
        }
        guard let date = rowDate ?? fallbackDate else {
            unmapped.append(
                RegisterStatusCode(
                    code: code, office: office, description: description, reference: reference,
                    reason: .undated,
                    source: source))
            return
        }
        let year = row.yearField.flatMap { fields[$0] }.flatMap { Int($0.filter(\.isASCIIDigit)) }
        events.append(
            RegisterEvent(kind, on: date, year: year, reference: reference, code: code, source: source))
    }
}
