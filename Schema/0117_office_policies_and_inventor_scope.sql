-- 0117: one permissive policy per tenant table for per-office sessions, so that an index serves
-- the statement as it would without row-level security; and an inventor's scope.
--
-- Since 0113 the web login (a member of ipcase_app) fell under two permissive policies on every
-- tenant table: tenant_app (a member login's office) and service_web (the office of the web
-- session or API token named in the transaction). PostgreSQL ORs permissive policies, and
-- `office_id = $member OR office_id = $web` is no index condition: the web docket of one
-- attorney scanned the office's deadlines by primary key (a BitmapOr of two scans) and filtered
-- them, 1.4 ms a statement at 1M deadlines where the attorney index answers in 0.03 ms
-- (`ipcase-bench web`, EXPLAIN ANALYZE).
--
-- Now ipcase_member_office(writing) answers for both kinds of session: the member login's office
-- as in 0070, else, for a login that is a member of ipcase_web only, the office of the
-- transaction's live web session or API token (ipcase_web_office, 0113/0114/0115). A login
-- that is not a member of ipcase_web gets nothing from a web token, as before (service_web was
-- TO ipcase_web). One policy, one equality with one initplan: the planner uses any index that
-- leads with office_id. Who may read and write which rows is unchanged.


-- An inventor's web session sees, by the database's policies, only what comes from their
-- own disclosures: those disclosures and their inventors, the rights filed from them
-- (rights.disclosure_id or right_disclosures) with their events and deadlines, the agreements over those rights with
-- their parties, and their own distribution statements (the distributions with a line to them,
-- their payments, and of the lines only theirs and the office's own shares). Of the parties:
-- themselves, their co-inventors and their agreements' parties. Every other office table: nothing.
--
-- The server runs an inventor's requests as the role ipcase_web_inventor (a member of ipcase_web;
-- the web login is a member of it too, Deploy/postgres-roles.sql) with `SET LOCAL ROLE`, so that
-- the restrictive policies below cost the other roles' requests nothing. The database does not
-- rely on the server doing so: ipcase_member_office answers an inventor's session only under
-- ipcase_web_inventor, so an inventor's token under the plain web login reads nothing at all.
--
-- What an inventor writes (a disclosure they submit, with its inventors) stays governed by the
-- permissive policies; the scope applies to what they read, RETURNING included.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ipcase_web_inventor') THEN
        BEGIN
            CREATE ROLE ipcase_web_inventor NOLOGIN IN ROLE ipcase_web;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END
$$;

-- The office of the transaction's live web session, API token or calendar subscription (0115,
-- 0116) in the chosen office, now refusing an inventor's session unless `inventor` (the caller
-- runs as ipcase_web_inventor); a calendar's for reading only and never an inventor's, as in
-- 0116. The lookup is written out here and in ipcase_web_inventor below rather than shared
-- through a function returning the grant: policies call this one up to ten times a statement,
-- and a set-returning PL/pgSQL function tripled its cost (0.16 ms a call against 0.05 ms,
-- `ipcase-bench web`, pg_stat_statements).
CREATE OR REPLACE FUNCTION ipcase_web_office(writing boolean, inventor boolean) RETURNS bigint
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
        FROM (SELECT s.user_id, s.office_id, false AS calendar FROM web_sessions s
              WHERE s.token_hash = hash AND s.expires_at > now()
              UNION ALL
              SELECT t.user_id, t.office_id, false FROM web_api_tokens t
              WHERE t.token_hash = hash AND t.revoked_at IS NULL
                AND (t.expires_at IS NULL OR t.expires_at > now())
              UNION ALL
              SELECT k.user_id, k.office_id, true FROM web_calendar_tokens k
              WHERE k.token_hash = hash AND k.revoked_at IS NULL AND NOT writing) c
        JOIN web_user_offices m ON m.user_id = c.user_id AND m.office_id = c.office_id
        JOIN web_users u ON u.id = c.user_id
        WHERE c.office_id = ipcase_current_office() AND NOT u.disabled
          AND (NOT writing OR m.role <> 'viewer')
          AND (m.role <> 'inventor' OR (inventor AND NOT c.calendar))
        LIMIT 1);
END
$$;

-- The one-argument form (0115) keeps its meaning for callers outside the policies: no inventor.
CREATE OR REPLACE FUNCTION ipcase_web_office(writing boolean) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, public, pg_temp
    AS $$ SELECT ipcase_web_office(writing, false) $$;

-- The inventor's party: of the transaction's live session or token whose role in the chosen
-- office is inventor; else NULL.
CREATE FUNCTION ipcase_web_inventor() RETURNS bigint
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
        SELECT m.party_id
        FROM (SELECT s.user_id, s.office_id FROM web_sessions s
              WHERE s.token_hash = hash AND s.expires_at > now()
              UNION ALL
              SELECT t.user_id, t.office_id FROM web_api_tokens t
              WHERE t.token_hash = hash AND t.revoked_at IS NULL
                AND (t.expires_at IS NULL OR t.expires_at > now())) c
        JOIN web_user_offices m ON m.user_id = c.user_id AND m.office_id = c.office_id
        JOIN web_users u ON u.id = c.user_id
        WHERE c.office_id = ipcase_current_office() AND NOT u.disabled AND m.role = 'inventor'
        LIMIT 1);
END
$$;

-- What the inventor's scope holds, each as keys of the chosen office (empty without an inventor).
-- SECURITY DEFINER: they read the link tables past the scope itself.
CREATE FUNCTION ipcase_inventor_keys(kind text) RETURNS bigint[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    party bigint := ipcase_web_inventor();
    office bigint := ipcase_current_office();
    disclosures bigint[];
    rights bigint[];
    agreements bigint[];
    distributions bigint[];
BEGIN
    IF party IS NULL THEN
        RETURN '{}';
    END IF;
    disclosures := ARRAY(SELECT i.disclosure_id FROM disclosure_inventors i
                         WHERE i.office_id = office AND i.party_id = party);
    IF kind = 'disclosures' THEN RETURN disclosures; END IF;
    IF kind = 'distributions' OR kind = 'payments' THEN
        distributions := ARRAY(SELECT DISTINCT l.distribution_id FROM distribution_lines l
                               WHERE l.office_id = office AND l.party_id = party);
        IF kind = 'distributions' THEN RETURN distributions; END IF;
        RETURN ARRAY(SELECT DISTINCT d.payment_id FROM distributions d
                     WHERE d.office_id = office AND d.id = ANY(distributions));
    END IF;
    rights := ARRAY(SELECT r.id FROM rights r
                    WHERE r.office_id = office AND r.disclosure_id = ANY(disclosures)
                    UNION
                    SELECT rd.right_id FROM right_disclosures rd
                    WHERE rd.office_id = office AND rd.disclosure_id = ANY(disclosures));
    IF kind = 'rights' THEN RETURN rights; END IF;
    agreements := ARRAY(SELECT DISTINCT ar.agreement_id FROM agreement_rights ar
                        WHERE ar.office_id = office AND ar.right_id = ANY(rights));
    IF kind = 'agreements' THEN RETURN agreements; END IF;
    IF kind = 'parties' THEN
        RETURN ARRAY(SELECT party
                     UNION SELECT i.party_id FROM disclosure_inventors i
                           WHERE i.office_id = office AND i.disclosure_id = ANY(disclosures)
                     UNION SELECT ap.party_id FROM agreement_parties ap
                           WHERE ap.office_id = office AND ap.agreement_id = ANY(agreements));
    END IF;
    RAISE EXCEPTION 'ipcase_inventor_keys: no scope %', kind USING ERRCODE = 'invalid_parameter_value';
END
$$;

-- The scope of one table as the predicate of its restrictive policy: the tables above by their
-- links, the office itself and its distribution policies, every other office table nothing.
CREATE FUNCTION ipcase_inventor_policy(target regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    predicate text := CASE target::text
        WHEN 'disclosures' THEN 'id = ANY ((SELECT ipcase_inventor_keys(''disclosures''))::bigint[])'
        WHEN 'disclosure_inventors' THEN 'disclosure_id = ANY ((SELECT ipcase_inventor_keys(''disclosures''))::bigint[])'
        WHEN 'right_disclosures' THEN 'disclosure_id = ANY ((SELECT ipcase_inventor_keys(''disclosures''))::bigint[])'
        WHEN 'rights' THEN 'id = ANY ((SELECT ipcase_inventor_keys(''rights''))::bigint[])'
        WHEN 'right_events' THEN 'right_id = ANY ((SELECT ipcase_inventor_keys(''rights''))::bigint[])'
        WHEN 'deadlines' THEN 'right_id = ANY ((SELECT ipcase_inventor_keys(''rights''))::bigint[]) '
                              'OR agreement_id = ANY ((SELECT ipcase_inventor_keys(''agreements''))::bigint[])'
        WHEN 'agreements' THEN 'id = ANY ((SELECT ipcase_inventor_keys(''agreements''))::bigint[])'
        WHEN 'agreement_rights' THEN 'agreement_id = ANY ((SELECT ipcase_inventor_keys(''agreements''))::bigint[])'
        WHEN 'agreement_parties' THEN 'agreement_id = ANY ((SELECT ipcase_inventor_keys(''agreements''))::bigint[])'
        WHEN 'workflow_history' THEN '(entity_type = ''disclosure'' AND entity_id = ANY ((SELECT ipcase_inventor_keys(''disclosures''))::bigint[]))'
        WHEN 'distributions' THEN 'id = ANY ((SELECT ipcase_inventor_keys(''distributions''))::bigint[])'
        WHEN 'distribution_lines' THEN 'distribution_id = ANY ((SELECT ipcase_inventor_keys(''distributions''))::bigint[]) '
                                       'AND (recipient <> ''inventor'' OR party_id = (SELECT ipcase_web_inventor()))'
        WHEN 'distribution_policies' THEN 'true'
        WHEN 'offices' THEN 'true'
        WHEN 'payments' THEN 'id = ANY ((SELECT ipcase_inventor_keys(''payments''))::bigint[])'
        WHEN 'parties' THEN 'id = ANY ((SELECT ipcase_inventor_keys(''parties''))::bigint[])'
        ELSE 'false'
    END;
BEGIN
    EXECUTE format('DROP POLICY IF EXISTS inventor_scope ON %s', target);
    -- The web login is a member of ipcase_web_inventor (to take it), so the policy applies to
    -- it too: it restricts only what runs as ipcase_web_inventor.
    EXECUTE format('CREATE POLICY inventor_scope ON %s AS RESTRICTIVE FOR SELECT TO ipcase_web_inventor '
                   'USING (current_user <> ''ipcase_web_inventor'' OR (%s))', target, predicate);
END
$$;
REVOKE ALL ON FUNCTION ipcase_inventor_policy(regclass) FROM PUBLIC;

-- A disclosure an inventor submits gets its key before it is written (its row is not theirs to
-- read back until its inventors are), and its reference from the office's references, which
-- the inventor cannot list.
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO ipcase_app', pg_get_serial_sequence('disclosures', 'id'));
END
$$;

CREATE FUNCTION ipcase_disclosure_references(prefix text) RETURNS SETOF text
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT d.reference FROM disclosures d
        WHERE d.office_id = coalesce((SELECT ipcase_member_office(true)), (SELECT ipcase_web_office(true, true)))
          AND starts_with(d.reference, prefix)
    $$;

-- The office of a per-office session: a member login's as in 0070, else, for a login that is a
-- member of ipcase_web, its web session's or token's (an inventor's only as ipcase_web_inventor).
-- Not SECURITY DEFINER: current_user is the caller's role.
CREATE OR REPLACE FUNCTION ipcase_member_office(writing boolean) RETURNS bigint
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    office bigint;
BEGIN
    SELECT m.office_id INTO office FROM office_members m
    WHERE m.office_id = ipcase_current_office() AND m.login = session_user
      AND (NOT writing OR m.role <> 'viewer');
    IF office IS NOT NULL OR NOT pg_has_role(session_user, 'ipcase_web', 'MEMBER') THEN
        RETURN office;
    END IF;
    RETURN ipcase_web_office(writing, current_user = 'ipcase_web_inventor');
END
$$;

-- 0070's policies again: tenant_app, its restrictive delete policy and tenant_report, each on
-- ipcase_member_office alone (service_web is gone), and the inventor's scope; tables added
-- later get the scope (nothing, until a migration gives them one) with the rest.
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
                   'USING (office_id = (SELECT ipcase_member_office(true)))', target);
    EXECUTE format('CREATE POLICY tenant_report ON %s FOR SELECT TO ipcase_report '
                   'USING (office_id = (SELECT ipcase_member_office(false)))', target);
    PERFORM ipcase_inventor_policy(target);
END
$$;
REVOKE ALL ON FUNCTION ipcase_member_policies(regclass) FROM PUBLIC;

DO $$
BEGIN
    PERFORM ipcase_member_policies(p.polrelid::regclass)
    FROM pg_catalog.pg_policy p WHERE p.polname = 'tenant_app';
END
$$;

