import Foundation
import Hummingbird
import HummingbirdOTP
import IPCase
import IPCaseReports
import IPCaseStore

extension WebApp {
    /// Sign-in, sign-out, the language and the office of the session.
    func addSignIn(to router: Router<WebContext>) {
        router.get("/signin") { request, _ in
            try await signInPage(request, messageKey: nil, status: .ok)
        }
        router.post("/signin") { request, context in
            try await signIn(request, context: context)
        }
        router.post("/signout") { request, _ in
            let form = try await request.form(limit: 64 * 1024)
            return try await signedIn(request, form: form) { signed in
                try await signed.office.webAccounts.endWebSession(token: signed.token)
                var response = redirect(to: "/signin")
                response.setCookie(expiredCookie(Self.sessionCookie))
                return response
            }
        }
        router.post("/language") { request, _ in
            let form = try await request.form(limit: 64 * 1024)
            let back = Self.localPath(form["back"], default: "/")
            guard let language = form["language"].flatMap(Language.init(rawValue:)) else {
                return try await plainError(.badRequest, request: request, key: "web.error.language")
            }
            if request.cookies[Self.sessionCookie] == nil {
                // Signed out: the choice is a cookie (the sign-in form carries its own CSRF token).
                guard let sent = form["_csrf"], let expected = request.cookies[Self.signInCookie]?.value,
                    Secrets.equal(sent, expected)
                else { return try await plainError(.forbidden, request: request, key: "web.error.csrf") }
                var response = redirect(to: back)
                response.setCookie(cookie(Self.languageCookie, language.code, maxAge: 365 * 86_400))
                return response
            }
            return try await signedIn(request, form: form) { signed in
                try await signed.office.webAccounts.setWebLanguage(user: signed.record.user.id, language: language.code)
                return redirect(to: back)
            }
        }
        router.post("/office") { request, _ in
            let form = try await request.form(limit: 64 * 1024)
            return try await signedIn(request, form: form) { signed in
                guard let office = form["office"].flatMap(Int64.init).map({ ID<Office>(rawValue: $0) }) else {
                    return try await refusedPage(signed, message: signed.localizer("web.error.office"), back: "/", status: .badRequest)
                }
                do {
                    // A new CSRF token with the new office.
                    try await signed.office.webAccounts.switchWebSession(
                        token: signed.token, to: office, csrfToken: Secrets.token())
                } catch StoreError.notFound {
                    throw Refusal.notFound
                }
                return redirect(to: "/")
            }
        }
    }

    func signInPage(_ request: Request, messageKey: String?, status: HTTPResponse.Status, login: String = "")
        async throws -> Response
    {
        let language =
            request.cookies[Self.languageCookie].flatMap { Language(rawValue: $0.value) }
            ?? Language.negotiated(request.headers[.acceptLanguage])
        let t = Localizer(language)
        let csrf = Secrets.token()
        var response = views.page(
            "signin", title: t("web.signin.title"),
            chrome: Chrome(language: language, csrf: csrf, path: "/signin"),
            data: ["hasMessage": messageKey != nil, "message": messageKey.map { t($0) } ?? "", "login": login], status: status)
        response.setCookie(cookie(Self.signInCookie, csrf, maxAge: 3600))
        return response
    }

    /// Checks the sign-in form: its CSRF cookie, the address's and the account's attempts, the
    /// password (bcrypt, off the request threads) and the one-time code when the user has one;
    /// then starts a new session (a new token: never one the browser brought) in the user's
    /// first office.
    func signIn(_ request: Request, context: WebContext) async throws -> Response {
        let form = try await request.form(limit: 64 * 1024)
        guard let sent = form["_csrf"], let expected = request.cookies[Self.signInCookie]?.value,
            Secrets.equal(sent, expected)
        else { return try await signInPage(request, messageKey: "web.error.csrf", status: .forbidden) }
        let login = (form.text("login") ?? "").lowercased()
        let password = form["password"] ?? ""
        guard !login.isEmpty, !password.isEmpty else {
            return try await signInPage(request, messageKey: "web.signin.missing", status: .unprocessableContent, login: login)
        }
        let address = context.remoteAddress ?? "unknown"
        guard await limiter.admit(address, now: clock()) else {
            return try await signInPage(request, messageKey: "web.signin.too-many", status: .tooManyRequests, login: login)
        }
        let found = try await pool.withStore { store in
            try await store.withWebAccounts { try await $0.webSignIn(login: login) }
        }
        guard let found, !found.user.disabled, !found.offices.isEmpty else {
            _ = await Secrets.verify(password, hash: Secrets.decoyHash)
            return try await signInPage(request, messageKey: "web.signin.wrong", status: .unauthorized, login: login)
        }
        if let locked = found.lockedUntil, locked > clock() {
            return try await signInPage(request, messageKey: "web.signin.locked", status: .tooManyRequests, login: login)
        }
        var valid = await Secrets.verify(password, hash: found.passwordHash)
        if valid, let secret = found.totpSecret {
            let code = Int(form.text("code") ?? "") ?? -1
            let now = clock()
            let totp = TOTP(secret: secret)
            valid = [-30.0, 0, 30].contains { totp.compute(date: now.addingTimeInterval($0)) == code }
        }
        let limit = configuration.accountAttempts, lock = TimeInterval(configuration.accountLockSeconds)
        guard valid else {
            _ = try await pool.withStore { store in
                try await store.withWebAccounts { accounts in
                    try await accounts.recordFailedWebSignIn(user: found.user.id, limit: limit, lock: lock)
                }
            }
            logger.notice("web sign-in refused", metadata: ["login": "\(login)", "address": "\(address)"])
            return try await signInPage(request, messageKey: "web.signin.wrong", status: .unauthorized, login: login)
        }
        let token = Secrets.token()
        let office = found.offices[0].office
        let lifetime = TimeInterval(configuration.sessionIdleSeconds)
        try await pool.withStore { store in
            try await store.withWebAccounts { accounts in
                try await accounts.startWebSession(
                    token: token, user: found.user.id, office: office, csrfToken: Secrets.token(), lifetime: lifetime)
            }
        }
        logger.info("web sign-in", metadata: ["login": "\(login)"])
        var response = redirect(to: "/")
        response.setCookie(cookie(Self.sessionCookie, token))
        response.setCookie(expiredCookie(Self.signInCookie))
        return response
    }
}
