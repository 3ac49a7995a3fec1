import Foundation
import IPCase
import IPCaseReports
import IPCaseTestSupport
import Testing

/// The HTML report printed to PDF by Debian's Chromium, as an office prints it to send.
@Suite("Printing to A4")
struct PrintTests {
    /// The path of `tool` on PATH, or `nil`.
    static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ tool: String, _ arguments: [String], install package: String) async throws -> ProcessOutput {
        let found = try #require(
            find(tool), "\(tool) is not installed: install it with `apt-get install \(package)` (.ci/run does)")
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = FileManager.default.temporaryDirectory.path
        return try await ProcessOutput.run(URL(fileURLWithPath: found), arguments, environment: environment)
    }

    @Test("the HTML report prints on A4 pages that carry the office's name and the figures", arguments: [Language.english, .russian])
    func htmlPrintsOnA4(language: Language) async throws {
        var report = try LocalizationTests.report()
        report.preparation?.officeName = "Satbayev University TTO"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipcase-print-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = directory.appendingPathComponent("report.html")
        let pdf = directory.appendingPathComponent("report.pdf")
        try report.html(language: language).write(to: html, atomically: true, encoding: .utf8)

        // CI runs as root, hence --no-sandbox.
        let printed = try await Self.run(
            "chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--user-data-dir=\(directory.appendingPathComponent("profile").path)", "--print-to-pdf=\(pdf.path)",
                html.absoluteString,
            ], install: "chromium")
        #expect(printed.status == 0, "chromium: \(printed.stderr)")
        #expect(FileManager.default.fileExists(atPath: pdf.path), "chromium wrote no PDF: \(printed.stderr)")

        // Every page A4: 595 × 842 pt (Chromium writes 594.96 × 841.92).
        let info = try await Self.run("pdfinfo", ["-box", "-f", "1", "-l", "1000", pdf.path], install: "poppler-utils")
        #expect(info.status == 0, "pdfinfo: \(info.stderr)")
        let pages = info.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int($0.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        #expect(pages > 0)
        let boxes = info.stdout.split(separator: "\n").filter { $0.contains("MediaBox:") }.map { line in
            line.split(separator: " ").suffix(4).compactMap { Double($0) }
        }
        #expect(boxes.count == pages, "a MediaBox per page: \(info.stdout)")
        for box in boxes {
            #expect(box.count == 4 && abs(box[2] - box[0] - 595) < 1.5 && abs(box[3] - box[1] - 842) < 1.5, "not A4: \(box)")
        }

        // The text: the office's name and a figure as the language writes it.
        let text = try await Self.run("pdftotext", ["-layout", pdf.path, "-"], install: "poppler-utils")
        #expect(text.status == 0, "pdftotext: \(text.stderr)")
        let plain = String(text.stdout.map { $0 == "\u{00A0}" || $0 == "\u{202F}" ? " " : $0 })
        #expect(plain.contains("Satbayev University TTO"))
        #expect(plain.contains(language == .english ? "7 284 617.89 KZT" : "7 284 617,89 ₸"))
        #expect(plain.contains(language == .english ? "Patent costs" : "Патентные расходы"))
    }
}
