-- 0114: API tokens of the web workspace's JSON API (/api/v1).
--
-- A token belongs to one user and is scoped to one office where the user holds a role; it is
-- stored only as its SHA-256, shown once when made, and revoked by stamping revoked_at (the
-- row stays, for the record). A request with `Authorization: Bearer <token>` runs like a
-- browser session's: the transaction names the token in `ipcase.web_session`, and the
-- session-bound policies of 0113 admit the token's office while it is neither revoked nor
-- expired and its user is enabled and still holds the role.

CREATE TABLE web_api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    user_id      bigint NOT NULL REFERENCES web_users ON DELETE CASCADE,
    office_id    bigint NOT NULL,
    name         text NOT NULL CHECK (name <> '' AND octet_length(name) <= 100),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    FOREIGN KEY (user_id, office_id) REFERENCES web_user_offices ON DELETE CASCADE
);
CREATE INDEX web_api_tokens_user ON web_api_tokens (user_id);

-- The office of the transaction's live session or usable API token, as 0113's function, now
-- for both.
CREATE OR REPLACE FUNCTION ipcase_web_office(writing boolean) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT c.office_id
        FROM (SELECT s.user_id, s.office_id FROM web_sessions s
              WHERE s.token_hash = ipcase_web_session_hash() AND s.expires_at > now()
              UNION ALL
              SELECT t.user_id, t.office_id FROM web_api_tokens t
              WHERE t.token_hash = ipcase_web_session_hash() AND t.revoked_at IS NULL
                AND (t.expires_at IS NULL OR t.expires_at > now())) c
        JOIN web_user_offices m ON m.user_id = c.user_id AND m.office_id = c.office_id
        JOIN web_users u ON u.id = c.user_id
        WHERE c.office_id = ipcase_current_office()
          AND NOT u.disabled
          AND (NOT writing OR m.role <> 'viewer')
        LIMIT 1
    $$;

GRANT SELECT, INSERT, UPDATE (last_used_at, revoked_at) ON web_api_tokens TO ipcase_web;
