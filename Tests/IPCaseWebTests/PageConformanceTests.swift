import Foundation
import HTTPTypes
import HummingbirdTesting
import IPCase
import IPCaseReports
import IPCaseStore
import IPCaseTestSupport
import Testing

@testable import IPCaseWeb

/// Every page each role reaches, in each language, is valid HTML and shows no text of another
/// language: checked by an independent parser (html5lib, strict: any parse error fails).
@Suite("Every page is valid HTML in its own language")
struct PageConformanceTests {
    /// The pages `browser` reaches from the dashboard by following links (one page per address
    /// shape: `/rights/12` stands for every right), at most `limit`.
    static func crawl(_ browser: Browser, limit: Int = 40) async throws -> [(path: String, html: String)] {
        var queue = ["/"]
        var seen: Set<String> = []
        var shapes: Set<String> = []
        var pages: [(String, String)] = []
        while !queue.isEmpty && pages.count < limit {
            let path = queue.removeFirst()
            guard seen.insert(path).inserted else { continue }
            let shape = path.replacing(/[0-9]+/, with: "N")
            guard shapes.insert(shape).inserted else { continue }
            let response = try await browser.get(path)
            guard response.status == .ok, response.headers[.contentType]?.hasPrefix("text/html") == true else {
                #expect(response.status == .ok, "GET \(path) from a link: \(response.status)")
                continue
            }
            pages.append((path, response.text))
            for match in response.text.matches(of: /href="(\/[^"#]*)"/) {
                let link = String(match.1).replacingOccurrences(of: "&amp;", with: "&")
                if link.hasPrefix("/static/") || link.hasPrefix("/api/") || link == "/signout" { continue }
                if [".json", ".csv", ".ics", ".css", ".ico", ".svg"].contains(where: { link.split(separator: "?")[0].hasSuffix($0) }) {
                    continue
                }
                queue.append(link)
            }
        }
        return pages
    }

    /// Checks each page with python3's html5lib (strict); for kk and ru, no text node outside an
    /// element marked with another `lang` is an English catalog text that the language has in
    /// its own words. Prints one problem per line.
    static let checker = #"""
        import json, re, sys
        import html5lib
        data = json.load(open(sys.argv[1], encoding="utf-8"))
        patterns = {}
        for language, texts in data["english"].items():
            patterns[language] = [re.compile("^" + re.sub(r"\\\{[a-z_-]+\\\}", ".+", re.escape(t)) + "$") for t in texts]
        problems = []
        for page in data["pages"]:
            where = page["lang"] + " " + page["role"] + " " + page["path"]
            parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
            try:
                root = parser.parse(page["html"])
            except Exception as error:
                problems.append(where + ": not valid HTML: " + str(error) + " " + str(parser.errors[:2]))
                continue
            if root.get("lang") != page["lang"]:
                problems.append(where + ": <html lang> is " + str(root.get("lang")))
            if page["lang"] == "en":
                continue
            def check(text, lang):
                text = " ".join((text or "").split())
                if lang == page["lang"] and len(text) >= 4:
                    for pattern in patterns[page["lang"]]:
                        if pattern.match(text):
                            problems.append(where + ": English text " + json.dumps(text))
                            break
            def walk(element, inherited):
                if element.tag in ("script", "style"):
                    return
                lang = element.get("lang") or inherited
                check(element.text, lang)
                for child in element:
                    walk(child, lang)
                    check(child.tail, lang)
            walk(root, root.get("lang"))
        print("\n".join(problems))
        """#

    @Test func everyPageOfEveryRoleInEveryLanguageIsValidHTMLInThatLanguage() async throws {
        let fixture = try await WebFixture.shared.value
        let views = try Views()
        // English texts each language has in other words (longer than a code, with a letter).
        var english: [String: [String]] = [:]
        for language in [Language.russian, .kazakh] {
            let en = views.texts[.english] ?? [:]
            english[language.rawValue] = en.compactMap { key, value in
                guard let other = views.texts[language]?[key], other != value, value.count >= 4,
                    value.contains(where: \.isLowercase)
                else { return nil }
                return value
            }
        }
        var pages: [[String: String]] = []
        for language in Language.allCases {
            for role in [WebRole.admin, .officer, .attorney, .viewer, .inventor] {
                pages += try await withBrowser(try fixture.app(), language: language.rawValue) { browser in
                    let signIn = try await browser.get("/signin")
                    var seen = [["role": "signed out", "lang": language.rawValue, "path": "/signin", "html": signIn.text]]
                    try await browser.signIn(fixture.account(role))
                    for page in try await Self.crawl(browser) {
                        seen.append(["role": role.rawValue, "lang": language.rawValue, "path": page.path, "html": page.html])
                    }
                    return seen
                }
            }
        }
        #expect(pages.count > 40, "the crawl reached \(pages.count) pages")
        let input = try Python.temporaryFile(
            String(decoding: try JSONSerialization.data(withJSONObject: ["pages": pages, "english": english]), as: UTF8.self),
            suffix: ".json")
        defer { try? FileManager.default.removeItem(at: input) }
        let problems = try await Python.script(Self.checker, arguments: [input.path], packages: ["html5lib"])
            .split(separator: "\n").filter { !$0.isEmpty }
        #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(40).joined(separator: "\n"))")
    }

    @Test func theSiteHasAnIconThatEveryPageLinks() async throws {
        let fixture = try await WebFixture.shared.value
        try await withBrowser(try fixture.app()) { browser in
            let page = try await browser.get("/signin")
            #expect(page.text.contains(#"<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">"#))
            let legacy = try await browser.get("/favicon.ico")
            #expect(legacy.status == .permanentRedirect && legacy.location == "/static/favicon.svg")
            let icon = try await browser.get("/static/favicon.svg")
            #expect(icon.status == .ok && icon.headers[.contentType] == "image/svg+xml")
            #expect(icon.text.hasPrefix("<svg") && icon.text.contains("viewBox"))
        }
    }
}
