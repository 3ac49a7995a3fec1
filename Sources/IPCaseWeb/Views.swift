import Foundation
import Hummingbird
import IPCaseReports
import Mustache

/// The pages' templates (`Data/templates/*.mustache`, embedded at build time) and what every
/// page shows around its content: the language, the catalog's texts, the user, the office.
///
/// Mustache escapes every `{{value}}` for HTML; the only unescaped insertion, `{{{content}}}`
/// in the layout, is a page rendered from a template itself.
struct Views: Sendable {
    let library: MustacheLibrary
    /// The catalog's texts per language, keys with `_` for `.` (`{{t.web_docket_title}}`).
    let texts: [Language: [String: String]]
    let styleSheet: String
    /// The site's icon (`Data/static/favicon.svg`).
    let icon: String
    /// The JSON API's OpenAPI 3.1 document (`Data/openapi.json`).
    let openAPI: String

    init() throws {
        var library = MustacheLibrary()
        var styleSheet = ""
        var icon = ""
        var openAPI = ""
        for file in EmbeddedFiles.all {
            if file.path.hasPrefix("templates/"), file.path.hasSuffix(".mustache") {
                let name = String(file.path.dropFirst("templates/".count).dropLast(".mustache".count))
                try library.register(file.contents, named: name)
            } else if file.path == "static/app.css" {
                styleSheet = file.contents
            } else if file.path == "static/favicon.svg" {
                icon = file.contents
            } else if file.path == "openapi.json" {
                openAPI = file.contents
            }
        }
        self.library = library
        self.styleSheet = styleSheet
        self.icon = icon
        self.openAPI = openAPI
        var texts: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let catalog = Catalog.standard(language)
            var map: [String: String] = [:]
            for key in catalog.keys where catalog.placeholders(of: key).isEmpty {
                map[key.replacingOccurrences(of: ".", with: "_")] = catalog(key)
            }
            texts[language] = map
        }
        self.texts = texts
    }

    /// The page `template` with `data`, inside the layout, as an HTML response.
    func page(
        _ template: String, title: String, chrome: Chrome, data: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = data
        values["t"] = texts[chrome.language] ?? [:]
        values["chrome"] = chrome.values
        let content = library.render(values, withTemplate: template) ?? ""
        var layout = values
        layout["content"] = content
        layout["title"] = title
        let html = library.render(layout, withTemplate: "layout") ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// What the layout shows around a page: language, user, office, navigation, the CSRF token of
/// its forms.
struct Chrome: Sendable {
    var language: Language
    var userName: String?
    var officeName: String?
    var role: String?
    var csrf: String
    var path: String
    /// Where the language buttons return (a local path; the page's own by default).
    var back: String?
    var navigation: [(path: String, label: String)] = []
    var offices: [(id: Int64, name: String, current: Bool)] = []

    var values: [String: Any] {
        [
            "lang": language.code,
            "userName": userName ?? "", "officeName": officeName ?? "", "role": role ?? "",
            "signedIn": userName != nil, "csrf": csrf, "path": path, "back": back ?? path,
            "navigation": navigation.map { ["path": $0.path, "label": $0.label, "current": $0.path == path] },
            "offices": offices.map { ["id": $0.id, "name": $0.name, "current": $0.current] },
            "manyOffices": offices.count > 1,
            "languages": Language.allCases.map {
                ["code": $0.code, "name": Self.languageNames[$0]!, "current": $0 == language]
            },
        ]
    }

    static let languageNames: [Language: String] = [.kazakh: "Қазақша", .russian: "Русский", .english: "English"]
}
