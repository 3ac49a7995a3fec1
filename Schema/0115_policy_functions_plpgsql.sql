-- 0115: the helpers of the per-office policies in PL/pgSQL, so that a connection plans their
-- queries once instead of at every call.
--
-- Row-level security calls ipcase_member_office (0070) and, for the web login,
-- ipcase_web_offices and, through ipcase_web_office, ipcase_web_session_hash (0113) once or
-- more in every statement on a tenant table. LANGUAGE sql functions that cannot be inlined
-- (they SET search_path, are SECURITY DEFINER or read a FROM clause) parse and plan their query
-- again at every call: under the web docket's load at 1M deadlines that was a third of the
-- server's time (`ipcase-bench web`). A PL/pgSQL function keeps each query's plan for the life
-- of the connection. The queries, the answers, the volatility (STABLE: the calling statement's
-- snapshot), SECURITY DEFINER and search_path are those of 0070 and 0113.

CREATE OR REPLACE FUNCTION ipcase_member_office(writing boolean) RETURNS bigint
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    RETURN (
        SELECT m.office_id FROM office_members m
        WHERE m.office_id = ipcase_current_office() AND m.login = session_user
          AND (NOT writing OR m.role <> 'viewer'));
END
$$;

CREATE OR REPLACE FUNCTION ipcase_web_session_hash() RETURNS bytea
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    t text := current_setting('ipcase.web_session', true);
BEGIN
    RETURN CASE WHEN t ~ '^[A-Za-z0-9_-]{43}$' THEN sha256(convert_to(t, 'UTF8')) END;
END
$$;

CREATE OR REPLACE FUNCTION ipcase_web_offices() RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    RETURN QUERY
        SELECT m.office_id
        FROM web_sessions s
        JOIN web_user_offices m ON m.user_id = s.user_id
        JOIN web_users u ON u.id = s.user_id
        WHERE s.token_hash = ipcase_web_session_hash() AND s.expires_at > now() AND NOT u.disabled;
END
$$;

-- The same for 0114's ipcase_web_office (sessions and API tokens), which every policy for the web
-- login calls.
CREATE OR REPLACE FUNCTION ipcase_web_office(writing boolean) RETURNS bigint
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    hash bytea := ipcase_web_session_hash();
BEGIN
    IF hash IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN (
        SELECT c.office_id
        FROM (SELECT s.user_id, s.office_id FROM web_sessions s
              WHERE s.token_hash = hash AND s.expires_at > now()
              UNION ALL
              SELECT t.user_id, t.office_id FROM web_api_tokens t
              WHERE t.token_hash = hash AND t.revoked_at IS NULL
                AND (t.expires_at IS NULL OR t.expires_at > now())) c
        JOIN web_user_offices m ON m.user_id = c.user_id AND m.office_id = c.office_id
        JOIN web_users u ON u.id = c.user_id
        WHERE c.office_id = ipcase_current_office()
          AND NOT u.disabled
          AND (NOT writing OR m.role <> 'viewer')
        LIMIT 1);
END
$$;
