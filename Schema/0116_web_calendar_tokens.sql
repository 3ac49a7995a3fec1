-- 0116: calendar subscriptions of the web workspace (`/calendar/<token>.ics`).
--
-- A calendar client fetches a user's docket as iCalendar with nothing but a secret URL: the
-- token in it belongs to one user, is scoped to one office where the user holds a role (not an
-- inventor's: the docket is not theirs), is stored only as its SHA-256, shown once when made,
-- and revoked by stamping revoked_at (the row stays, for the record). With it the docket's
-- filters are kept as the docket page's query string, so the feed shows what the page showed.
--
-- A feed request runs like a browser session's: the transaction names the token in
-- `ipcase.web_session`, and the session-bound policies of 0113 admit the token's office while
-- the token is not revoked and its user is enabled and still holds a role there; for reading
-- only (a calendar token never writes).

CREATE TABLE web_calendar_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    user_id      bigint NOT NULL REFERENCES web_users ON DELETE CASCADE,
    office_id    bigint NOT NULL,
    name         text NOT NULL CHECK (name <> '' AND octet_length(name) <= 100),
    -- The docket page's filters (`status=open&within=90`), '' for its defaults (open deadlines).
    filters      text NOT NULL DEFAULT '' CHECK (octet_length(filters) <= 2000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    FOREIGN KEY (user_id, office_id) REFERENCES web_user_offices ON DELETE CASCADE
);
CREATE INDEX web_calendar_tokens_user ON web_calendar_tokens (user_id);

-- The office of the transaction's live session, usable API token or calendar token, as 0114's
-- function, now with calendar tokens (for reading only, and not for an inventor).
CREATE OR REPLACE FUNCTION ipcase_web_office(writing boolean) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT c.office_id
        FROM (SELECT s.user_id, s.office_id, false AS calendar FROM web_sessions s
              WHERE s.token_hash = ipcase_web_session_hash() AND s.expires_at > now()
              UNION ALL
              SELECT t.user_id, t.office_id, false FROM web_api_tokens t
              WHERE t.token_hash = ipcase_web_session_hash() AND t.revoked_at IS NULL
                AND (t.expires_at IS NULL OR t.expires_at > now())
              UNION ALL
              SELECT k.user_id, k.office_id, true FROM web_calendar_tokens k
              WHERE k.token_hash = ipcase_web_session_hash() AND k.revoked_at IS NULL AND NOT writing) c
        JOIN web_user_offices m ON m.user_id = c.user_id AND m.office_id = c.office_id
        JOIN web_users u ON u.id = c.user_id
        WHERE c.office_id = ipcase_current_office()
          AND NOT u.disabled
          AND (NOT writing OR m.role <> 'viewer')
          AND NOT (c.calendar AND m.role = 'inventor')
        LIMIT 1
    $$;

GRANT SELECT, INSERT, UPDATE (last_used_at, revoked_at) ON web_calendar_tokens TO ipcase_web;
