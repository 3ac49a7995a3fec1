/// A PostgreSQL data type, identified by its OID.
public struct PostgresType: Sendable, Hashable, CustomStringConvertible {
    /// The type's OID in `pg_type`.
    public var oid: UInt32

    /// Creates a type from its OID.
    public init(oid: UInt32) { self.oid = oid }

    /// Let the server infer the parameter's type from context.
    public static let unknown = PostgresType(oid: 0)
    /// `bool`.
    public static let bool = PostgresType(oid: 16)
    /// `bytea`.
    public static let bytea = PostgresType(oid: 17)
    /// `int8` (bigint).
    public static let int8 = PostgresType(oid: 20)
    /// `int2` (smallint).
    public static let int2 = PostgresType(oid: 21)
    /// `int4` (integer).
    public static let int4 = PostgresType(oid: 23)
    /// `text`.
    public static let text = PostgresType(oid: 25)
    /// `oid`.
    public static let oidType = PostgresType(oid: 26)
    /// `json`.
    public static let json = PostgresType(oid: 114)
    /// `float4` (real).
    public static let float4 = PostgresType(oid: 700)
    /// `float8` (double precision).
    public static let float8 = PostgresType(oid: 701)
    /// `varchar`.
    public static let varchar = PostgresType(oid: 1043)
    /// `date`.
    public static let date = PostgresType(oid: 1082)
    /// `timestamp` (without time zone).
    public static let timestamp = PostgresType(oid: 1114)
    /// `timestamptz`.
    public static let timestamptz = PostgresType(oid: 1184)
    /// `numeric`.
    public static let numeric = PostgresType(oid: 1700)
    /// `uuid`.
    public static let uuid = PostgresType(oid: 2950)
    /// `jsonb`.
    public static let jsonb = PostgresType(oid: 3802)

    /// `bool[]`.
    public static let boolArray = PostgresType(oid: 1000)
    /// `bytea[]`.
    public static let byteaArray = PostgresType(oid: 1001)
    /// `int2[]`.
    public static let int2Array = PostgresType(oid: 1005)
    /// `int4[]`.
    public static let int4Array = PostgresType(oid: 1007)
    /// `text[]`.
    public static let textArray = PostgresType(oid: 1009)
    /// `varchar[]`.
    public static let varcharArray = PostgresType(oid: 1015)
    /// `int8[]`.
    public static let int8Array = PostgresType(oid: 1016)
    /// `float4[]`.
    public static let float4Array = PostgresType(oid: 1021)
    /// `float8[]`.
    public static let float8Array = PostgresType(oid: 1022)
    /// `timestamp[]`.
    public static let timestampArray = PostgresType(oid: 1115)
    /// `date[]`.
    public static let dateArray = PostgresType(oid: 1182)
    /// `timestamptz[]`.
    public static let timestamptzArray = PostgresType(oid: 1185)
    /// `numeric[]`.
    public static let numericArray = PostgresType(oid: 1231)
    /// `uuid[]`.
    public static let uuidArray = PostgresType(oid: 2951)
    /// `json[]`.
    public static let jsonArray = PostgresType(oid: 199)
    /// `jsonb[]`.
    public static let jsonbArray = PostgresType(oid: 3807)

    /// The element type when this is a known array type.
    public var arrayElement: PostgresType? {
        PostgresType.elements[oid].map(PostgresType.init(oid:))
    }

    /// The type's SQL name when known, else `oid <n>`.
    public var description: String {
        PostgresType.names[oid] ?? "oid \(oid)"
    }

    private static let elements: [UInt32: UInt32] = [
        1000: 16, 1001: 17, 1005: 21, 1007: 23, 1009: 25, 1015: 1043, 1016: 20, 1021: 700,
        1022: 701, 1115: 1114, 1182: 1082, 1185: 1184, 1231: 1700, 2951: 2950, 199: 114, 3807: 3802,
    ]
    private static let names: [UInt32: String] = [
        0: "unknown", 16: "bool", 17: "bytea", 18: "char", 19: "name", 20: "int8", 21: "int2",
        23: "int4", 25: "text", 26: "oid", 114: "json", 700: "float4", 701: "float8", 705: "unknown",
        1042: "bpchar", 1043: "varchar", 1082: "date", 1083: "time", 1114: "timestamp",
        1184: "timestamptz", 1186: "interval", 1700: "numeric", 2950: "uuid", 3802: "jsonb",
        1000: "bool[]", 1001: "bytea[]", 1005: "int2[]", 1007: "int4[]", 1009: "text[]",
        1015: "varchar[]", 1016: "int8[]", 1021: "float4[]", 1022: "float8[]", 1115: "timestamp[]",
        1182: "date[]", 1185: "timestamptz[]", 1231: "numeric[]", 2951: "uuid[]", 199: "json[]",
        3807: "jsonb[]",
    ]
}
