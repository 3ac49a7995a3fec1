import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IPCase
import IPCaseStore
import IPCaseTestSupport
import Testing

@testable import IPCaseWeb

/// The live API checked against its OpenAPI document by schemathesis (from PyPI): every operation
/// with generated requests, every response's status code, content type and body against the
/// document, and no server error.
@Suite("The API against its OpenAPI document")
struct SchemathesisTests {
    @Test func everyResponseOfTheLiveAPIConformsToTheDocument() async throws {
        let fixture = try await WebFixture.shared.value
        let web = try fixture.app { $0.host = "127.0.0.1"; $0.port = 0 }
        let app = Application(router: web.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // A token of the firm's attorney, made through the Tokens page of the same server.
            let browser = Browser(client)
            let token = try await APITests.token(browser, fixture, .attorney)
            let schema = try Python.temporaryFile(web.views.openAPI, suffix: ".json")
            defer { try? FileManager.default.removeItem(at: schema) }
            let output = try await Python.script(
                """
                import subprocess, sys
                run = subprocess.run(
                    [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; sys.exit(schemathesis())",
                     "run", sys.argv[1], "--url", sys.argv[2], "-H", "Authorization: Bearer " + sys.argv[3],
                     "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                     "--phases", "examples,coverage,fuzzing", "--max-examples", "10", "--seed", "1", "--workers", "1"],
                    capture_output=True, text=True)
                print(run.stdout)
                if run.returncode != 0:
                    sys.stderr.write(run.stdout[-6000:] + run.stderr[-2000:])
                    sys.exit(run.returncode)
                """, arguments: [schema.path, "http://127.0.0.1:\(port)", token], packages: ["schemathesis"])
            print(output.suffix(1500))
            #expect(output.contains("passed") || output.contains("Passed"), "\(output.suffix(2000))")
        }
    }
}
