import ArgumentParser
import Foundation
import IPCase
import IPCaseRegister

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ipcase-bench register`: reading register bulk files, against reading their bytes.
struct RegisterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Read an ST.96 and a USPTO bulk file of N records and match each application against the docket.",
        discussion: """
            Generates, in a temporary directory, two bulk files of --records documents each
            (about 1 KB of bibliographic data per document, each with its XML declaration, and a
            DOCTYPE in the USPTO one): WIPO ST.96 `PatentPublication`s and USPTO
            `us-patent-grant`s. Each is read with RegisterReader.scan, and every record's
            application is looked up by RegisterNumbers.matchKey in a set of the docket's keys
            (half of the files' applications, in the docket's form). The floor is the same bytes
            read with read(2) and every '<' counted: the I/O and tokenize floor. Peak memory is
            VmHWM, reset through /proc/self/clear_refs before each read. One thread.

              swift build -c release --product ipcase-bench
              .build/release/ipcase-bench register --records 100000 --rounds 3
            """
    )

    @OptionGroup var harness: HarnessOptions

    @Option(help: "Documents per generated file.")
    var records = 100_000

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-bench-register-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var report = Report(title: "Register files")
        let docket = Set(
            (0..<records).filter { $0 % 2 == 0 }.flatMap { serial in
                [
                    RegisterNumbers.matchKey(Self.kazakhNumber(serial), office: .kazakhstan),
                    RegisterNumbers.matchKey(
                        RegisterNumbers.docketForm(Self.usNumber(serial), office: .unitedStates), office: .unitedStates),
                ]
            })
        for (name, write) in [("ST.96", Self.writeST96), ("USPTO", Self.writeUSPTO)] {
            let path = directory.appendingPathComponent(name == "ST.96" ? "st96-bulk.xml" : "uspto-bulk.xml").path
            progress("register: writing \(records) \(name) documents")
            try write(path, records)
            let size = Double(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0)
            var floorRates: [Double] = []
            var peaks: [Double] = []
            var floorBrackets = 0
            let rates = try await rounds(harness) { round in
                progress("register: \(name) round \(round)")
                let floorTime = try Self.time { floorBrackets = try Self.countBrackets(path: path) }
                Self.resetPeakMemory()
                var matched = 0
                var count = 0
                let time = try Self.time {
                    count = try RegisterReader.scan(path: path) { record in
                        guard let application = record.application else { return }
                        if docket.contains(RegisterNumbers.matchKey(application.number, office: application.office)) {
                            matched += 1
                        }
                    }
                }
                try verify(count == records, "\(name): read \(count) records, expected \(records)")
                try verify(matched == (records + 1) / 2, "\(name): matched \(matched), expected \((records + 1) / 2)")
                peaks.append(Self.peakMemory() / 1_048_576)
                floorRates.append(Double(records) / floorTime)
                return Double(records) / time
            }
            report.figures.append(
                Figure(
                    name: "\(name): parse + match", unit: "records/s", samples: rates, goal: .atLeast(20_000),
                    note: String(
                        format: "%.0f MB file, %.1f MB/s", size / 1e6,
                        rates.sorted()[rates.count / 2] * size / Double(records) / 1e6)))
            report.figures.append(
                Figure(
                    name: "\(name): floor, read(2) + count '<'", unit: "records/s", samples: floorRates,
                    note: "\(floorBrackets) '<' in the same bytes"))
            report.figures.append(Figure(name: "\(name): peak memory (VmHWM)", unit: "MB", samples: peaks, goal: .atMost(64)))
        }
        for name in ["ST.96", "USPTO"] {
            let path = directory.appendingPathComponent(name == "ST.96" ? "st96-bulk.xml" : "uspto-bulk.xml").path
            let snapshot = Self.docket(records, office: name == "ST.96" ? .kazakhstan : .unitedStates)
            var comparePeaks: [Double] = []
            // Planned after every file's scans: the heap a plan leaves in the allocator would
            // otherwise count in a scan's peak.
            let compareRates = try await rounds(harness) { round in
                progress("register: \(name) plan round \(round)")
                Self.resetPeakMemory()
                // What `ipcase import register` does before it writes: every record read, then
                // the plan against the docket (merge, match, compare, replay through the workflow).
                var plan: RegisterPlan?
                let compareTime = try Self.time {
                    let read = try RegisterReader.read(path: path)
                    plan = RegisterComparison.plan(read, against: snapshot)
                }
                guard let planned = plan else { throw VerificationFailure("\(name): no plan") }
                try verify(
                    planned.matched == (records + 1) / 2 && planned.creations.count == records / 2 && !planned.isRefused,
                    "\(name): plan matched \(planned.matched), creates \(planned.creations.count), refused \(planned.isRefused)")
                if round >= 0 { comparePeaks.append(Self.peakMemory() / 1_048_576) }
                return Double(records) / compareTime
            }
            report.figures.append(
                Figure(
                    name: "\(name): read + plan against the docket", unit: "records/s", samples: compareRates,
                    goal: .atLeast(20_000),
                    note: "\(records / 2 + records % 2) rights in the docket; the rest planned as creations"))
            report.figures.append(
                Figure(
                    name: "\(name): peak memory of read + plan", unit: "MB", samples: comparePeaks,
                    note: "every record and the plan held, as the import does"))
            try FileManager.default.removeItem(atPath: path)
        }
        report.context.append("\(records) documents per file, one thread, release build")
        try report.emit(harness)
    }

    /// A docket holding the applications of the even serials, filed, with their filing event.
    static func docket(_ count: Int, office: Jurisdiction) -> DocketSnapshot {
        let today = try! CivilDate(iso: "2026-12-07")
        var rights: [DocketSnapshot.Entry] = []
        for serial in stride(from: 0, to: count, by: 2) {
            let day = String(format: "%02d", 1 + serial % 28)
            let number =
                office == .kazakhstan
                ? kazakhNumber(serial) : RegisterNumbers.docketForm(usNumber(serial), office: .unitedStates)
            let filed = try! CivilDate(iso: office == .kazakhstan ? "2023-03-\(day)" : "2021-05-\(day)")
            let right = Right(
                id: ID(rawValue: Int64(serial + 1)), office: 1, reference: "REF-\(serial)", title: "Right \(serial)",
                jurisdiction: office, kind: .patent, applicationNumber: number, filingDate: filed, state: .filed)
            rights.append(DocketSnapshot.Entry(right: right, events: [RightEvent(.filed, on: filed)]))
        }
        let parties = (0..<50).map { index in
            Party(
                id: ID(rawValue: Int64(index + 1)), kind: .organization,
                name: office == .kazakhstan ? "University \(index)" : "Kestrel Networks \(index)", roles: [.assignee],
                sector: .academia)
        }
        return DocketSnapshot(rights: rights, parties: parties, families: [:], today: today)
    }

    static func kazakhNumber(_ serial: Int) -> String {
        // Unique below 900 000 serials: the year carries the ten-thousands.
        "20\(10 + serial / 10_000 % 90)/\(String(format: "%04d", serial % 10_000)).\(1 + serial % 9)"
    }

    static func usNumber(_ serial: Int) -> String { "\(16 + serial % 3)\(String(format: "%06d", serial % 1_000_000))" }

    /// Seconds of `body`, wall clock.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The '<' bytes of the file at `path`, read in 1 MiB chunks.
    static func countBrackets(path: String) throws -> Int {
        let descriptor = open(path, O_RDONLY)
        try verify(descriptor >= 0, "cannot open \(path)")
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var count = 0
        while true {
            let read = Glibc.read(descriptor, buffer.baseAddress!, buffer.count)
            if read <= 0 { break }
            var cursor = buffer.baseAddress!
            var left = read
            while left > 0, let found = memchr(cursor, Int32(UInt8(ascii: "<")), left) {
                count += 1
                left -= found - cursor + 1
                cursor = found + 1
            }
        }
        return count
    }

    /// Resets VmHWM to the current RSS (Linux 4.0 and later).
    static func resetPeakMemory() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// VmHWM in bytes.
    static func peakMemory() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Double(line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) * 1024
        }
        return .nan
    }

    /// Writes `count` ST.96 documents to `path`, 1000 at a time.
    static func writeST96(_ path: String, _ count: Int) throws {
        try write(path, count) { serial in
            let number = kazakhNumber(serial)
            let day = String(format: "%02d", 1 + serial % 28)
            return """
                <?xml version="1.0" encoding="UTF-8"?>
                <pat:PatentPublication xmlns:pat="http://www.wipo.int/standards/XMLSchema/ST96/Patent" xmlns:com="http://www.wipo.int/standards/XMLSchema/ST96/Common">
                  <pat:BibliographicData>
                    <pat:PatentPublicationIdentification>
                      <com:IPOfficeCode>KZ</com:IPOfficeCode>
                      <pat:PublicationNumber>\(30_000 + serial)</pat:PublicationNumber>
                      <com:PatentDocumentKindCode>B</com:PatentDocumentKindCode>
                      <com:PublicationDate>2024-04-\(day)</com:PublicationDate>
                    </pat:PatentPublicationIdentification>
                    <pat:ApplicationIdentification>
                      <com:IPOfficeCode>KZ</com:IPOfficeCode>
                      <com:ApplicationNumber><com:ApplicationNumberText>\(number)</com:ApplicationNumberText></com:ApplicationNumber>
                      <pat:FilingDate>2023-03-\(day)</pat:FilingDate>
                    </pat:ApplicationIdentification>
                    <pat:PriorityClaimBag>
                      <pat:PriorityClaim>
                        <com:IPOfficeCode>RU</com:IPOfficeCode>
                        <com:ApplicationNumberText>2022\(String(format: "%06d", serial % 1_000_000))</com:ApplicationNumberText>
                        <com:FilingDate>2022-04-\(day)</com:FilingDate>
                      </pat:PriorityClaim>
                    </pat:PriorityClaimBag>
                    <pat:InventionTitleBag>
                      <pat:InventionTitle languageCode="ru">Сорбент для очистки воды № \(serial)</pat:InventionTitle>
                      <pat:InventionTitle languageCode="kk">Суды тазартуға арналған сорбент № \(serial)</pat:InventionTitle>
                    </pat:InventionTitleBag>
                    <pat:PartyBag>
                      <pat:ApplicantBag><pat:Applicant><com:Contact><com:Name><com:EntityName>University \(serial % 50)</com:EntityName></com:Name></com:Contact><com:CountryCode>KZ</com:CountryCode></pat:Applicant></pat:ApplicantBag>
                    </pat:PartyBag>
                  </pat:BibliographicData>
                </pat:PatentPublication>

                """
        }
    }

    /// Writes `count` USPTO grants to `path`, each with its declaration and DOCTYPE.
    static func writeUSPTO(_ path: String, _ count: Int) throws {
        try write(path, count) { serial in
            let day = String(format: "%02d", 1 + serial % 28)
            return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v47-2022-02-17.dtd" [ ]>
                <us-patent-grant lang="EN" dtd-version="v4.7 2022-02-17" country="US" date-publ="202403\(day)">
                <us-bibliographic-data-grant>
                <publication-reference><document-id><country>US</country><doc-number>\(11_000_000 + serial)</doc-number><kind>B2</kind><date>202403\(day)</date></document-id></publication-reference>
                <application-reference appl-type="utility"><document-id><country>US</country><doc-number>\(usNumber(serial))</doc-number><date>202105\(day)</date></document-id></application-reference>
                <us-application-series-code>\(16 + serial % 3)</us-application-series-code>
                <priority-claims><priority-claim sequence="01" kind="national"><country>JP</country><doc-number>2020-\(100_000 + serial)</doc-number><date>202005\(day)</date></priority-claim></priority-claims>
                <classifications-ipcr><classification-ipcr><ipc-version-indicator><date>20060101</date></ipc-version-indicator><section>H</section><class>04</class><subclass>L</subclass><main-group>9</main-group><subgroup>40</subgroup></classification-ipcr></classifications-ipcr>
                <invention-title id="d2e61">Key exchange over a lossy channel, variant \(serial)</invention-title>
                <us-parties><us-applicants><us-applicant sequence="00" app-type="applicant"><addressbook><orgname>Kestrel Networks \(serial % 50)</orgname><address><city>Tokyo</city><country>JP</country></address></addressbook></us-applicant></us-applicants>
                <inventors><inventor sequence="00"><addressbook><last-name>Tanaka</last-name><first-name>Hiroshi</first-name><address><country>JP</country></address></addressbook></inventor></inventors></us-parties>
                </us-bibliographic-data-grant>
                </us-patent-grant>

                """
        }
    }

    /// Writes `count` documents made by `document` to `path`, a thousand at a time.
    static func write(_ path: String, _ count: Int, _ document: (Int) -> String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw VerificationFailure("cannot write \(path)") }
        defer { try? handle.close() }
        var batch = ""
        for serial in 0..<count {
            batch += document(serial)
            if serial % 1000 == 999 || serial == count - 1 {
                try handle.write(contentsOf: Data(batch.utf8))
                batch = ""
            }
        }
    }
}
