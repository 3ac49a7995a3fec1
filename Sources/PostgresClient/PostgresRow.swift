import CLibPQ

/// The rows and command status of one statement, copied out of libpq's result.
public struct PostgresResult: Sendable, RandomAccessCollection {
    let storage: ResultStorage

    /// The rows affected or returned, as reported by the command tag (0 when none).
    public let affectedRows: Int
    /// The command tag, e.g. `INSERT 0 1` or `COMMIT`.
    public let commandTag: String

    /// The result columns' names, in order.
    public var columnNames: [String] { storage.names }
    /// The result columns' types, in order.
    public var columnTypes: [PostgresType] { storage.types }

    /// The first row index (0).
    public var startIndex: Int { 0 }
    /// The number of rows.
    public var endIndex: Int { storage.rowCount }
    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow { PostgresRow(storage: storage, row: position) }
}

/// The column metadata and values of a result; immutable once built.
final class ResultStorage: Sendable {
    let names: [String]
    let types: [PostgresType]
    let indexByName: [String: Int]
    let rowCount: Int
    /// Row-major values, `nil` for NULL.
    let values: [String?]

    init(names: [String], types: [PostgresType], rowCount: Int, values: [String?]) {
        self.names = names
        self.types = types
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        self.indexByName = index
        self.rowCount = rowCount
        self.values = values
    }

    static let empty = ResultStorage(names: [], types: [], rowCount: 0, values: [])
}

/// Owns one libpq `PGresult` and frees it exactly once.
struct OwnedResult: ~Copyable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { PQclear(pointer) }

    var status: ExecStatusType { PQresultStatus(pointer) }

    /// Copies the columns and values out of the result.
    func copyOut() -> PostgresResult {
        let columnCount = Int(PQnfields(pointer))
        let rowCount = Int(PQntuples(pointer))
        var names: [String] = []
        var types: [PostgresType] = []
        names.reserveCapacity(columnCount)
        types.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            names.append(PQfname(pointer, Int32(column)).map { String(cString: $0) } ?? "?column?")
            types.append(PostgresType(oid: PQftype(pointer, Int32(column))))
        }
        var values: [String?] = []
        values.reserveCapacity(rowCount * columnCount)
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                if PQgetisnull(pointer, Int32(row), Int32(column)) != 0 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(pointer, Int32(row), Int32(column)))
                    let start = PQgetvalue(pointer, Int32(row), Int32(column))!
                    values.append(
                        start.withMemoryRebound(to: UInt8.self, capacity: length) {
                            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                        })
                }
            }
        }
        let storage =
            columnCount == 0 && rowCount == 0
            ? ResultStorage.empty
            : ResultStorage(names: names, types: types, rowCount: rowCount, values: values)
        let tag = PQcmdStatus(pointer).map { String(cString: $0) } ?? ""
        return PostgresResult(storage: storage, affectedRows: affectedRows, commandTag: tag)
    }

    /// The row count of the command tag (`INSERT 0 5` → 5), 0 when the command has none.
    var affectedRows: Int {
        guard let tuples = PQcmdTuples(pointer) else { return 0 }
        return Int(String(cString: tuples)) ?? 0
    }

    /// The server error this result carries.
    func error(code: PostgresError.Code = .server) -> PostgresError {
        func field(_ name: Character) -> String? {
            guard let value = PQresultErrorField(pointer, Int32(name.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        var error = PostgresError(code: code)
        error.sqlState = field("C")
        error.message = field("M") ?? PQresultErrorMessage(pointer).map { String(cString: $0) }
        error.detail = field("D")
        error.hint = field("H")
        error.schemaName = field("s")
        error.tableName = field("t")
        error.columnName = field("c")
        error.constraintName = field("n")
        error.statementPosition = field("P").flatMap { Int($0) }
        return error
    }
}

/// One row of a result. Decode its values by column name or index:
///
/// ```swift
/// for row in try await connection.query("SELECT id, title, filed FROM rights") {
///     let id = try row.decode(Int.self, column: "id")
///     let (title, filed) = try row.decode(String.self, PostgresDate?.self, startingAt: 1)
/// }
/// ```
public struct PostgresRow: Sendable {
    let storage: ResultStorage
    let row: Int

    /// The number of columns.
    public var count: Int { storage.names.count }
    /// The column names, in order.
    public var columnNames: [String] { storage.names }

    /// The raw text of a column (`nil` for NULL).
    public func text(at index: Int) -> String? {
        storage.values[row * storage.names.count + index]
    }

    /// Decodes the column at `index` as `T`; NULL decodes only as an Optional.
    ///
    /// - Throws: ``PostgresError`` with code `.decoding` naming the column and `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws(PostgresError) -> T {
        guard index >= 0, index < storage.names.count else {
            var error = PostgresError(
                code: .decoding, reason: "the result has \(storage.names.count) columns, no index \(index)")
            error.columnIndex = index
            error.expectedType = String(describing: T.self)
            throw error
        }
        let columnType = storage.types[index]
        do {
            if let value = storage.values[row * storage.names.count + index] {
                return try T(postgresText: value, type: columnType)
            }
            return try T.postgresNull()
        } catch {
            var failure = PostgresError(code: .decoding, reason: "\(columnType) value: \(error.reason)")
            failure.columnName = storage.names[index]
            failure.columnIndex = index
            failure.expectedType = String(describing: T.self)
            throw failure
        }
    }

    /// Decodes the column named `column` as `T`.
    ///
    /// - Throws: ``PostgresError`` with code `.decoding` when there is no such column or it does not decode.
    public func decode<T: PostgresDecodable>(_ type: T.Type, column: String) throws(PostgresError) -> T {
        guard let index = storage.indexByName[column] else {
            var error = PostgresError(code: .decoding, reason: "the result has no such column")
            error.columnName = column
            error.expectedType = String(describing: T.self)
            throw error
        }
        return try decode(type, at: index)
    }

    /// Decodes consecutive columns, from `startingAt`, as a tuple.
    ///
    /// ```swift
    /// let (id, name) = try row.decode(Int.self, String.self)
    /// ```
    public func decode<each T: PostgresDecodable>(
        _ types: repeat (each T).Type, startingAt first: Int = 0
    ) throws(PostgresError) -> (repeat each T) {
        var index = first
        func next<U: PostgresDecodable>(_ type: U.Type) throws(PostgresError) -> U {
            defer { index += 1 }
            return try decode(type, at: index)
        }
        return (repeat try next(each types))
    }
}
