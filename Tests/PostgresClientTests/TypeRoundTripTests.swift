import Foundation
import PostgresClient
import Testing

/// One value sent as a parameter, cast by the server, and decoded back.
struct RoundTrip: Sendable, CustomStringConvertible {
    let description: String
    let check: @Sendable (PostgresConnection) async throws -> Void

    /// `SELECT $1::sqlType` must decode to the value sent, and the server must see it as `expectedText`.
    static func of<T: PostgresCodable & Equatable>(
        _ name: String, _ value: T, _ sqlType: String, serverText: String? = nil
    ) -> RoundTrip {
        RoundTrip(description: "\(name) as \(sqlType)") { connection in
            let rows = try await connection.query(
                "SELECT \(value)::\(unescaped: sqlType) AS v, (\(value)::\(unescaped: sqlType))::text AS t")
            let back = try rows[0].decode(T.self, column: "v")
            #expect(back == value, "\(name) came back different")
            if let serverText {
                #expect(try rows[0].decode(String?.self, column: "t") == serverText)
            }
        }
    }
}

private let megabyte = String(repeating: "Қазақстан patent ✓ ", count: 1_048_576 / 24)

private let cases: [RoundTrip] = [
    .of("zero", 0, "int8", serverText: "0"),
    .of("Int.max", Int.max, "int8", serverText: "9223372036854775807"),
    .of("Int.min", Int.min, "int8", serverText: "-9223372036854775808"),
    .of("Int64", Int64(-42), "int8"),
    .of("Int32.max", Int32.max, "int4", serverText: "2147483647"),
    .of("Int16", Int16(-7), "int2"),
    .of("true", true, "bool", serverText: "true"),
    .of("false", false, "bool", serverText: "false"),
    .of("Double", 3.141592653589793, "float8"),
    .of("smallest subnormal Double", Double.leastNonzeroMagnitude, "float8"),
    .of("infinity", Double.infinity, "float8", serverText: "Infinity"),
    .of("empty string", "", "text", serverText: ""),
    .of("non-ASCII text", "Қазақстан · 日本 · émigré · 🚀", "text", serverText: "Қазақстан · 日本 · émigré · 🚀"),
    .of("1 MB text", megabyte, "text"),
    .of("date", PostgresDate(year: 2024, month: 2, day: 29), "date", serverText: "2024-02-29"),
    .of("first date", PostgresDate(year: 1, month: 1, day: 1), "date", serverText: "0001-01-01"),
    .of(
        "timestamptz with microseconds", Date(timeIntervalSince1970: 1_700_000_000.123456), "timestamptz",
        serverText: "2023-11-14 22:13:20.123456+00"),
    .of("timestamptz before 1970", Date(timeIntervalSince1970: -86_400.5), "timestamptz"),
    .of("UUID", UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!, "uuid",
        serverText: "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
    .of("empty bytea", Data(), "bytea", serverText: "\\x"),
    .of("all bytes", Data((0...255).map { UInt8($0) }), "bytea"),
    .of("jsonb", PostgresJSON(text: #"{"a": [1, "é", null], "b": {"c": true}}"#), "jsonb"),
    .of("int8[]", [1, -2, Int.max], "int8[]", serverText: "{1,-2,9223372036854775807}"),
    .of("empty int8[]", [Int](), "int8[]", serverText: "{}"),
    .of("int8[] with NULL", [1, nil, 3] as [Int?], "int8[]", serverText: "{1,NULL,3}"),
    .of(
        "text[] with quoting", ["a b", "q\"uote", "back\\slash", "com,ma", "{}", "NULL", "", "Қ"], "text[]"),
    .of("text[] with NULL", ["x", nil] as [String?], "text[]", serverText: "{x,NULL}"),
    .of("bool[]", [true, false], "bool[]", serverText: "{t,f}"),
    .of("float8[]", [1.5, -0.25], "float8[]"),
    .of("uuid[]", [UUID(), UUID()], "uuid[]"),
    .of("date[]", [PostgresDate(year: 2025, month: 9, day: 15)], "date[]", serverText: "{2025-09-15}"),
    .of("timestamptz[]", [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1.5)], "timestamptz[]"),
    .of("bytea[]", [Data([0, 1, 0xff]), Data()], "bytea[]"),
    .of("jsonb[]", [PostgresJSON(text: #"{"k": "v"}"#), PostgresJSON(text: "[]")], "jsonb[]"),
    .of("NULL int8", nil as Int?, "int8", serverText: nil),
    .of("NULL text", nil as String?, "text"),
    .of("NULL array", nil as [Int]?, "int8[]"),
    .of("NULL date", nil as PostgresDate?, "date"),
]

@Suite("Type round trips")
struct TypeRoundTripTests {
    static let database = SuiteDatabase("roundtrip")

    @Test("every supported type comes back as sent", arguments: cases)
    func valueComesBackAsSent(_ roundTrip: RoundTrip) async throws {
        let connection = try await Self.database.connect()
        try await roundTrip.check(connection)
    }

    @Test func nanComesBackAsNaN() async throws {
        let connection = try await Self.database.connect()
        let value = try await connection.query("SELECT \(Double.nan)::float8")[0].decode(Double.self, at: 0)
        #expect(value.isNaN)
    }

    @Test func timestampWithOffsetDecodesToTheSameInstant() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute("SET TimeZone TO 'Asia/Almaty'")
        let rows = try await connection.query("SELECT '2024-03-01 12:00:00+00'::timestamptz AS t, now()::text AS n")
        #expect(try rows[0].decode(Date.self, column: "t") == Date(timeIntervalSince1970: 1_709_294_400))
    }

    @Test func storedRowsReadBackIncludingNulls() async throws {
        let connection = try await Self.database.connect()
        try await connection.execute(
            """
            CREATE TABLE stored (id int8 PRIMARY KEY, title text, filed date, at timestamptz, tags text[],
                                 doc jsonb, blob bytea, ok bool, ratio float8, ref uuid)
            """)
        let ref = UUID()
        let at = Date(timeIntervalSince1970: 1_234_567_890.25)
        try await connection.execute(
            """
            INSERT INTO stored VALUES (\(1), \("Patent «X»"), \(PostgresDate(year: 2023, month: 3, day: 14)), \(at),
              \(["a", "b"]), \(PostgresJSON(text: #"{"n": 1}"#)), \(Data([1, 2])), \(true), \(0.5), \(ref)),
              (\(2), \(nil as String?), \(nil as PostgresDate?), \(nil as Date?), \(nil as [String]?),
              \(nil as PostgresJSON?), \(nil as Data?), \(nil as Bool?), \(nil as Double?), \(nil as UUID?))
            """)
        let rows = try await connection.query("SELECT * FROM stored ORDER BY id")
        let (id, title, filed, time, tags) = try rows[0].decode(
            Int.self, String.self, PostgresDate.self, Date.self, [String].self)
        #expect(id == 1 && title == "Patent «X»" && filed == PostgresDate(year: 2023, month: 3, day: 14))
        #expect(time == at && tags == ["a", "b"])
        #expect(try rows[0].decode(PostgresJSON.self, column: "doc").text == #"{"n": 1}"#)
        #expect(try rows[0].decode(Data.self, column: "blob") == Data([1, 2]))
        #expect(try rows[0].decode(UUID.self, column: "ref") == ref)
        let nulls = try rows[1].decode(
            String?.self, PostgresDate?.self, Date?.self, [String]?.self, PostgresJSON?.self, Data?.self, Bool?.self,
            Double?.self, UUID?.self, startingAt: 1)
        #expect(nulls.0 == nil && nulls.1 == nil && nulls.2 == nil && nulls.3 == nil && nulls.4 == nil)
        #expect(nulls.5 == nil && nulls.6 == nil && nulls.7 == nil && nulls.8 == nil)
    }
}
