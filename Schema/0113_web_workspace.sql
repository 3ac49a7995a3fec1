-- 0113: the web workspace (ipcase-web): its users, their offices and roles, their sessions.
--
-- The web server is a service login (member of ipcase_web, Deploy/postgres-roles.sql): like the
-- daemon it acts for many offices and chooses the office per transaction, but unlike the daemon
-- it is not trusted with every office. Each of its transactions names the browser session it
-- serves (`ipcase.web_session`, the session's secret token, set with set_config(…, true)), and
-- the policies below admit a tenant row only when
--
--   * the row's office is the one chosen for the transaction (`ipcase.office_id`),
--   * a live (unexpired) session with that token exists, for that office,
--   * its user is not disabled and holds a role in that office (web_user_offices),
--   * and, to write, the role is not `viewer`.
--
-- So the web login alone, without the token of a signed-in user's live session, reads no
-- office's records, and a session of one office reads nothing of another. The tokens are
-- stored only as their SHA-256 (token_hash); the policy hashes the token it is given.
--
-- The web login also belongs to ipcase_app, for its table privileges (so every grant to the
-- command line, present and future, is the web's too). ipcase_app's own policies admit it to
-- nothing: they need an office_members row for the login, and the web login has none.
--
-- Users are managed by the owner (`ipcase-web users add|reset-password|disable`); the web login
-- reads them and counts failed sign-ins.

CREATE TABLE web_users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- What the user signs in with (an e-mail address or a short name), stored in lower case.
    login           text NOT NULL UNIQUE
                        CHECK (login <> '' AND login = lower(login) AND octet_length(login) <= 254),
    name            text NOT NULL CHECK (name <> '' AND octet_length(name) <= 200),
    -- Where the daemon's notices for this user go (optional).
    email           text CHECK (email IS NULL OR (email LIKE '%_@_%' AND octet_length(email) <= 254)),
    -- bcrypt (cost 12 or more): `$2b$12$…`.
    password_hash   text NOT NULL CHECK (password_hash LIKE '$2_$%'),
    -- kk, ru or en; NULL: from the browser's Accept-Language.
    language        text CHECK (language IN ('kk', 'ru', 'en')),
    -- The TOTP key (RFC 6238, HMAC-SHA1, 30 s, 6 digits) when the user has set up a second factor:
    -- its bytes are the key; authenticator apps get it base32-encoded in an otpauth:// URL.
    totp_secret     text CHECK (totp_secret IS NULL OR totp_secret ~ '^[A-Za-z0-9]{20,128}$'),
    disabled        boolean NOT NULL DEFAULT false,
    -- Failed sign-ins in a row, and until when sign-in is refused after too many.
    failed_sign_ins integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    locked_until    timestamptz,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER web_users_touch BEFORE UPDATE ON web_users
    FOR EACH ROW EXECUTE FUNCTION ipcase_touch_row();

-- A user's role in an office, and (for an inventor or an attorney) who they are among the
-- office's parties: an inventor sees only what comes from their own disclosures.
CREATE TABLE web_user_offices (
    user_id     bigint NOT NULL REFERENCES web_users ON DELETE CASCADE,
    office_id   bigint NOT NULL REFERENCES offices ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('admin', 'officer', 'attorney', 'viewer', 'inventor')),
    party_id    bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, office_id),
    FOREIGN KEY (office_id, party_id) REFERENCES parties (office_id, id),
    CHECK (role <> 'inventor' OR party_id IS NOT NULL)
);
CREATE INDEX web_user_offices_office ON web_user_offices (office_id);

-- A signed-in browser: the SHA-256 of its cookie's token, the office it works in, the token
-- its forms carry (CSRF), and when it ends. A new row (a new token) at every sign-in.
CREATE TABLE web_sessions (
    token_hash   bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_id      bigint NOT NULL REFERENCES web_users ON DELETE CASCADE,
    office_id    bigint NOT NULL,
    csrf_token   text NOT NULL CHECK (octet_length(csrf_token) >= 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    FOREIGN KEY (user_id, office_id) REFERENCES web_user_offices ON DELETE CASCADE
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- The hash of the session token this transaction serves, or NULL when none (or a malformed
-- one: a token is 43 base64url characters) is set.
--
-- The two functions after it are SECURITY DEFINER (they run as the owner): the policies that
-- call them apply to ipcase_app's members too (the restrictive delete policy), and those have
-- no privilege on the web's tables. They reveal nothing but the office of a session whose token
-- the caller already holds.
CREATE FUNCTION ipcase_web_session_hash() RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT CASE WHEN t ~ '^[A-Za-z0-9_-]{43}$' THEN sha256(convert_to(t, 'UTF8')) END
        FROM (SELECT current_setting('ipcase.web_session', true) AS t) s
    $$;

-- The chosen office when the transaction's web session is live, for it, and its user holds a
-- role there (one that may write, when `writing`); else NULL. Policies call it as `(SELECT …)`:
-- one evaluation per statement.
CREATE FUNCTION ipcase_web_office(writing boolean) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT s.office_id
        FROM web_sessions s
        JOIN web_user_offices m ON m.user_id = s.user_id AND m.office_id = s.office_id
        JOIN web_users u ON u.id = s.user_id
        WHERE s.token_hash = ipcase_web_session_hash()
          AND s.office_id = ipcase_current_office()
          AND s.expires_at > now()
          AND NOT u.disabled
          AND (NOT writing OR m.role <> 'viewer')
    $$;

-- Every office the transaction's live web session's user holds a role in (the office switcher
-- reads their names).
CREATE FUNCTION ipcase_web_offices() RETURNS SETOF bigint
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT m.office_id
        FROM web_sessions s
        JOIN web_user_offices m ON m.user_id = s.user_id
        JOIN web_users u ON u.id = s.user_id
        WHERE s.token_hash = ipcase_web_session_hash() AND s.expires_at > now() AND NOT u.disabled
    $$;

-- The per-office policies of one tenant table, now with the web's: as 0070's, plus service_web
-- (the session-bound office above). The restrictive delete policy of ipcase_app, which the web
-- login is a member of, admits a delete by either a member login or a web session that may write.
CREATE OR REPLACE FUNCTION ipcase_member_policies(target regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('DROP POLICY IF EXISTS tenant_app ON %s', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_app_delete ON %s', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_report ON %s', target);
    EXECUTE format('DROP POLICY IF EXISTS service_web ON %s', target);
    EXECUTE format('CREATE POLICY tenant_app ON %s FOR ALL TO ipcase_app '
                   'USING (office_id = (SELECT ipcase_member_office(false))) '
                   'WITH CHECK (office_id = (SELECT ipcase_member_office(true)))', target);
    EXECUTE format('CREATE POLICY tenant_app_delete ON %s AS RESTRICTIVE FOR DELETE TO ipcase_app '
                   'USING (office_id = (SELECT ipcase_member_office(true)) '
                   'OR office_id = (SELECT ipcase_web_office(true)))', target);
    EXECUTE format('CREATE POLICY tenant_report ON %s FOR SELECT TO ipcase_report '
                   'USING (office_id = (SELECT ipcase_member_office(false)))', target);
    EXECUTE format('CREATE POLICY service_web ON %s FOR ALL TO ipcase_web '
                   'USING (office_id = (SELECT ipcase_web_office(false))) '
                   'WITH CHECK (office_id = (SELECT ipcase_web_office(true)))', target);
END
$$;
REVOKE ALL ON FUNCTION ipcase_member_policies(regclass) FROM PUBLIC;

-- The group role, idempotent and race-safe as in 0002 (deployments create it beforehand, and
-- make it a member of ipcase_app there: Deploy/postgres-roles.sql; the migrating owner has no
-- CREATEROLE).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ipcase_web') THEN
        BEGIN
            CREATE ROLE ipcase_web NOLOGIN IN ROLE ipcase_app;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END
$$;

-- Every table with the per-office policies gets the web's.
DO $$
BEGIN
    PERFORM ipcase_member_policies(p.polrelid::regclass)
    FROM pg_catalog.pg_policy p WHERE p.polname = 'tenant_app';
END
$$;

-- The office switcher: the names of the user's other offices.
CREATE POLICY web_member_offices ON offices FOR SELECT TO ipcase_web
    USING (office_id IN (SELECT ipcase_web_offices()));

GRANT SELECT, UPDATE (failed_sign_ins, locked_until, language) ON web_users TO ipcase_web;
GRANT SELECT ON web_user_offices TO ipcase_web;
GRANT SELECT, INSERT, UPDATE (office_id, csrf_token, last_seen_at, expires_at), DELETE ON web_sessions TO ipcase_web;
