/// One schema migration: a `Schema/NNNN_name.sql` file.
public struct Migration: Sendable, Hashable, CustomStringConvertible {
    /// The number that orders migrations (`NNNN`).
    public let version: Int
    /// The name after the number, e.g. `foundation`.
    public let name: String
    /// The file name, e.g. `0001_foundation.sql`.
    public let fileName: String
    /// The SQL text, applied in one transaction.
    public let sql: String

    /// Creates a migration from its file name and SQL.
    ///
    /// - Throws: ``MigrationError`` `.malformedName` unless the name is `NNNN_name.sql`
    ///   (at least four digits, then lowercase letters, digits and `_`).
    public init(fileName: String, sql: String) throws(MigrationError) {
        guard let (version, name) = Self.parse(fileName) else {
            throw MigrationError(
                .malformedName, fileName: fileName,
                reason: "a migration file is named NNNN_name.sql (four or more digits, then lowercase letters, digits and _)")
        }
        self.version = version
        self.name = name
        self.fileName = fileName
        self.sql = sql
    }

    /// The file name.
    public var description: String { fileName }

    /// The migrations embedded from `Schema/*.sql` at build time, ordered by version.
    ///
    /// - Throws: ``MigrationError`` when a file name is malformed or a version repeats.
    public static func embedded() throws(MigrationError) -> [Migration] {
        var migrations: [Migration] = []
        for file in EmbeddedFiles.all where file.path.hasSuffix(".sql") {
            migrations.append(try Migration(fileName: file.path, sql: file.contents))
        }
        return try ordered(migrations)
    }

    /// Sorts by version, refusing repeated versions.
    static func ordered(_ migrations: [Migration]) throws(MigrationError) -> [Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationError(
                .duplicateVersion, fileName: next.fileName,
                reason: "version \(next.version) is also used by \(previous.fileName)")
        }
        return sorted
    }

    private static func parse(_ fileName: String) -> (Int, String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard digits.count >= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let version = Int(digits), version > 0,
            !name.isEmpty,
            name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { return nil }
        return (version, String(name))
    }
}

/// Why migrating failed, naming the file.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// A file name is not `NNNN_name.sql`.
        case malformedName
        /// Two files share a version.
        case duplicateVersion
        /// An applied file was edited afterwards.
        case checksumMismatch
        /// The database has a migration this program does not know (it is newer).
        case unknownAppliedVersion
        /// A migration's SQL failed; nothing of it was applied.
        case failed
    }

    /// The kind of failure.
    public var code: Code
    /// The file concerned.
    public var fileName: String
    /// What happened and what to do.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, fileName: String, reason: String) {
        self.code = code
        self.fileName = fileName
        self.reason = reason
    }

    /// `migration 0002_x.sql: …`.
    public var description: String { "migration \(fileName): \(reason)" }
}
