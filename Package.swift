// swift-tools-version: 6.1
import PackageDescription

#if canImport(Glibc)
    import Glibc

    /// Whether the C library here loads DT_RELR relocations (glibc 2.36 and later): ipcased is
    /// linked with them where it is built, which should be a host like those it runs on.
    let packedRelocations: Bool = {
        var text = [CChar](repeating: 0, count: 64)  // "glibc 2.36"
        _ = confstr(Int32(_CS_GNU_LIBC_VERSION), &text, text.count)
        let name = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let version = name.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
        return version.count >= 2 && (version[0], version[1]) >= (2, 36)
    }()
#else
    let packedRelocations = false
#endif

let package = Package(
    name: "IPCase",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "IPCase", targets: ["IPCase"]),
        .library(name: "PostgresClient", targets: ["PostgresClient"]),
        .library(name: "IPCaseStore", targets: ["IPCaseStore"]),
        .library(name: "IPCaseReports", targets: ["IPCaseReports"]),
        .library(name: "IPCaseSamples", targets: ["IPCaseSamples"]),
        .executable(name: "ipcase", targets: ["ipcase"]),
        .executable(name: "ipcased", targets: ["ipcased"]),
        .executable(name: "ipcase-web", targets: ["ipcase-web"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // multipart/form-data of the web's CSV upload (Hummingbird has no parser of its own).
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // libpq, the C client library of PostgreSQL (apt: libpq-dev).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // libxml2, the C XML library (apt: libxml2-dev): its SAX2 push parser reads register files.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // A small, safe Swift layer over libpq. Knows nothing of IP.
        .target(
            name: "PostgresClient",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")]
        ),
        // Starts and stops a throwaway PostgreSQL cluster (tests, the demo, benchmarks).
        .target(
            name: "PostgresServer",
            dependencies: ["PostgresClient"]
        ),
        // The domain, pure: no I/O, no database. Data/ (rules, calendars) is embedded at build time.
        .target(
            name: "IPCase",
            exclude: ["Data"],
            plugins: ["EmbedFilesPlugin"]
        ),
        // Patent-office register files (WIPO ST.96 …) read into register records, streaming (libxml2's SAX2).
        // Data/ (the legal-status code table) is embedded at build time.
        .target(
            name: "IPCaseRegister", dependencies: ["IPCase", "CLibXML2"], exclude: ["Data"], plugins: ["EmbedFilesPlugin"]),
        // Reports and calendar feeds, pure: docket tables/JSON/CSV/ICS, indicators as table/JSON/HTML.
        // Data/catalogs (the kk, ru, en message catalogs) is embedded at build time.
        .target(
            name: "IPCaseReports",
            dependencies: ["IPCase"],
            exclude: ["Data"],
            plugins: ["EmbedFilesPlugin"]
        ),
        // Persistence: migrations over Schema/ (embedded at build time), repositories, queue, outbox.
        .target(
            name: "IPCaseStore",
            dependencies: ["IPCase", "PostgresClient", .product(name: "Logging", package: "swift-log")],
            plugins: ["EmbedFilesPlugin"]
        ),
        // The daemon's services.
        .target(
            name: "IPCaseDaemon",
            dependencies: [
                "IPCaseStore", "IPCaseReports",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // `ipcase migrate` (ipcased has its own, reading the daemon's configuration).
        .target(
            name: "IPCaseCommands",
            dependencies: [
                "IPCaseStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ipcased",
            dependencies: [
                "IPCaseDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Relative relocations packed (DT_RELR): the loader reads a few kilobytes instead of
            // 2.3 MB of .rela.dyn at every start (resident memory; README "Benchmarks").
            linkerSettings: packedRelocations
                ? [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])] : []
        ),
        // The web workspace: routes, views (Mustache templates and the style sheet in Data/, embedded at build
        // time), sign-in, CSRF, roles; no SQL of its own (it calls IPCaseStore, and IPCaseCLI's
        // command logic where the command line does the same work: the explained docket, imports).
        .target(
            name: "IPCaseWeb",
            dependencies: [
                "IPCaseStore", "IPCaseReports", "IPCaseCLI", "PostgresClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Data"],
            plugins: ["EmbedFilesPlugin"]
        ),
        .executableTarget(
            name: "ipcase-web",
            dependencies: [
                "IPCaseWeb", "IPCaseStore", "IPCaseDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The command line's work: demo loading, docket queries, CSV import, records, reports.
        .target(
            name: "IPCaseCLI",
            dependencies: [
                "IPCaseStore", "IPCaseReports", "IPCaseSamples", "IPCaseRegister", "PostgresServer",
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ipcase",
            dependencies: [
                "IPCase", "IPCaseDaemon", "IPCaseCLI", "IPCaseCommands", "IPCaseRegister", "IPCaseWeb", "IPCaseSamples",
                "PostgresServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Benchmarks: `swift run -c release ipcase-bench engine`.
        .executableTarget(
            name: "ipcase-bench",
            dependencies: [
                "IPCase", "IPCaseDaemon", "IPCaseStore", "IPCaseSamples", "IPCaseCLI", "IPCaseRegister", "IPCaseWeb",
                "PostgresClient", "PostgresServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // `ipcase-bench web` serves IPCaseWeb's router in process.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Deterministic sample portfolios and their CSV files (demo, tests, benchmarks); pure.
        .target(name: "IPCaseSamples", dependencies: ["IPCase"]),
        // Build-time embedding of data files (Schema/*.sql, Sources/IPCase/Data/**, Sources/IPCaseReports/Data/**) into the binaries.
        .executableTarget(name: "EmbedFiles"),
        .plugin(
            name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["EmbedFiles"],
            path: "Sources/EmbedFilesPlugin"),

        // What several test targets share: python3 checks by independent implementations.
        .target(name: "IPCaseTestSupport", path: "Tests/IPCaseTestSupport"),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "PostgresServer"]),
        .testTarget(name: "IPCaseTests", dependencies: ["IPCase", "IPCaseTestSupport"]),
        .testTarget(name: "IPCaseReportsTests", dependencies: ["IPCaseReports", "IPCaseTestSupport"]),
        .testTarget(name: "IPCaseSamplesTests", dependencies: ["IPCaseSamples"]),
        .testTarget(name: "IPCaseRegisterTests", dependencies: ["IPCaseRegister"], exclude: ["Fixtures"]),
        .testTarget(name: "IPCaseStoreTests", dependencies: ["IPCaseStore", "PostgresServer"]),
        .testTarget(
            name: "IPCaseWebTests",
            dependencies: [
                "IPCaseWeb", "IPCaseStore", "IPCaseReports", "IPCaseSamples", "IPCaseCLI", "IPCaseDaemon", "PostgresClient",
                "PostgresServer", "IPCaseTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Browser/: the Selenium driver of the browser tests (python3, run from the sources).
            exclude: ["Browser"]),
        .testTarget(
            name: "IPCaseDaemonTests",
            dependencies: [
                "IPCaseDaemon", "PostgresServer", "IPCaseTestSupport",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(
            name: "ipcaseTests",
            dependencies: [
                "ipcase", "IPCaseCLI", "IPCaseDaemon", "IPCaseStore", "IPCaseSamples", "IPCaseReports", "PostgresClient",
                "PostgresServer", "IPCaseTestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
