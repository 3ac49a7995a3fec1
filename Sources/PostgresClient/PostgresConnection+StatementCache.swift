import CLibPQ

/// The statements a connection prepared for the SQL texts it ran most recently.
///
/// With a capacity above zero, ``PostgresConnection`` prepares each statement text the first
/// time it runs (with its parameters' types) and executes the prepared statement after that, so
/// that the server parses and rewrites the text once per connection and may keep a generic plan
/// of it (`plan_cache_mode = auto`: after five executions, when a generic plan costs no more than
/// the custom ones did). The least recently used statement is deallocated when the cache is full.
///
/// The server keeps a prepared statement valid across schema changes, role changes and
/// `search_path` changes (it plans again); what it cannot do is change a statement's result
/// columns. A statement the server no longer has (`DEALLOCATE ALL`, `DISCARD ALL`) or whose
/// result columns changed is forgotten, and run again at once when no transaction is open (a
/// statement inside one cannot be repeated: the error is the caller's, and the next run prepares
/// anew).
struct StatementCache {
    /// A statement's identity: its text and its parameters' types.
    struct Key: Hashable {
        var sql: String
        var types: [Oid]
    }

    struct Entry {
        var name: String
        var lastUse: UInt64
    }

    /// How many statements are kept prepared (0: none, every statement is sent as text).
    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private var counter = 0

    init(capacity: Int) { self.capacity = max(0, capacity) }

    var isEnabled: Bool { capacity > 0 }
    var count: Int { entries.count }

    /// The prepared statement's name for `key`, marking it used; `nil` when not prepared.
    mutating func name(for key: Key) -> String? {
        guard var entry = entries[key] else { return nil }
        clock &+= 1
        entry.lastUse = clock
        entries[key] = entry
        return entry.name
    }

    /// A new statement name (unique on this connection).
    mutating func nextName() -> String {
        counter += 1
        return "ipcase_\(counter)"
    }

    /// The statement to deallocate before one more is kept, if the cache is full.
    mutating func evictionCandidate() -> (key: Key, name: String)? {
        guard entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) else {
            return nil
        }
        return (oldest.key, oldest.value.name)
    }

    mutating func insert(_ key: Key, name: String) {
        clock &+= 1
        entries[key] = Entry(name: name, lastUse: clock)
    }

    mutating func remove(_ key: Key) { entries[key] = nil }

    mutating func removeAll() { entries.removeAll() }
}

extension PostgresConnection {
    /// How many statements this connection keeps prepared (see ``connect(url:applicationName:statementCacheCapacity:logger:)``).
    public var statementCacheCapacity: Int { statementCache.capacity }

    /// How many statements this connection has prepared now.
    public var preparedStatementCount: Int { statementCache.count }

    /// Runs `query` as a prepared statement of the cache: prepares it the first time.
    func runCached(_ query: PostgresQuery, _ connection: OpaquePointer) throws(PostgresError) -> PostgresResult {
        let key = StatementCache.Key(sql: query.sql, types: query.bindings.types.map(\.oid))
        var retried = false
        while true {
            let name: String
            if let cached = statementCache.name(for: key) {
                name = cached
            } else {
                name = try prepareCached(key, connection)
            }
            do throws(PostgresError) {
                return try exec(connection) {
                    withParameters(query.bindings) { _, values, count in
                        PQsendQueryPrepared(connection, name, count, values, nil, nil, 0)
                    }
                }
            } catch {
                guard Self.invalidatesStatement(error) else { throw error }
                statementCache.remove(key)
                // Outside a transaction nothing else was undone: run it once more, prepared anew.
                guard !retried, PQtransactionStatus(connection) == PQTRANS_IDLE else { throw error }
                retried = true
                _ = try? runSimple("DEALLOCATE \(name)")
                logger.debug("postgres statement prepared again", metadata: ["postgres.sqlstate": "\(error.sqlState ?? "")"])
            }
        }
    }

    /// Prepares `key` under a new name, deallocating the least recently used statement first
    /// when the cache is full.
    private func prepareCached(_ key: StatementCache.Key, _ connection: OpaquePointer) throws(PostgresError) -> String {
        if let (oldKey, oldName) = statementCache.evictionCandidate() {
            statementCache.remove(oldKey)
            _ = try runSimple("DEALLOCATE \(oldName)")
        }
        let name = statementCache.nextName()
        let types = key.types
        _ = try exec(connection) {
            types.withUnsafeBufferPointer { buffer in
                PQsendPrepare(connection, name, key.sql, Int32(types.count), buffer.baseAddress)
            }
        }
        statementCache.insert(key, name: name)
        return name
    }

    /// A statement the server no longer has (26000), or whose result columns changed since it
    /// was prepared (0A000, "cached plan must not change result type").
    static func invalidatesStatement(_ error: PostgresError) -> Bool {
        error.sqlState == "26000" || error.sqlState == "0A000"
    }
}
