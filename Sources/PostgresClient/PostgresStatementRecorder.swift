import Synchronization

/// Collects the statements a task sends, with their parameters, so that a benchmark can replay
/// exactly what a piece of code issues (`ipcase-bench daemon` replays a batch with `pgbench`).
///
/// Recording is off unless a recorder is bound to the task; it then sees every statement the
/// task's connections send (queries, pipelines, `BEGIN`/`COMMIT`). Never bind one in production:
/// it keeps parameter values in memory.
///
/// ```swift
/// let recorder = PostgresStatementRecorder()
/// try await PostgresStatementRecorder.$current.withValue(recorder) {
///     _ = try await connection.query("SELECT \(1)")
/// }
/// recorder.statements   // [SELECT $1 with its binding]
/// ```
public final class PostgresStatementRecorder: Sendable {
    /// The recorder bound to the current task, if any.
    @TaskLocal public static var current: PostgresStatementRecorder?

    private let recorded = Mutex<[PostgresQuery]>([])

    /// An empty recorder.
    public init() {}

    /// The statements sent so far, in order.
    public var statements: [PostgresQuery] { recorded.withLock { $0 } }

    func record(_ query: PostgresQuery) {
        recorded.withLock { $0.append(query) }
    }

    static func record(_ query: PostgresQuery) {
        current?.record(query)
    }

    static func record(simple sql: String) {
        current?.record(PostgresQuery(unsafeSQL: sql))
    }
}
