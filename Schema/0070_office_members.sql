-- 0070: offices isolated by login, not by a setting the client chooses.
--
-- Until now the per-office policies (0008) admitted the rows of whatever office a session put
-- in `ipcase.office_id`, and any ipcase_app or ipcase_report login could put any office there.
-- From here on a personal login (a member of ipcase_app or ipcase_report) reads an office's
-- rows only when that office is chosen for the transaction AND the login is a member of it in
-- office_members; it writes them only with a role other than viewer. The login is
-- `session_user`: SET ROLE changes current_user, never session_user, so switching to a group
-- role opens no other office (and a login can only SET ROLE to roles it is a member of).
--
-- Roles per office (office_members.role):
--   admin     an officer who answers for the office's members (memberships are granted by
--             the owner: `ipcase offices grant`)
--   officer   reads and writes every record of the office
--   attorney  the same in the database (the web workspace narrows it to rights and deadlines)
--   viewer    reads only
--
-- Service logins act for every office and say so by their group role: members of
-- ipcase_daemon (the daemon's login, `ipcased`) keep the policy service_daemon of 0008, which
-- admits every office's rows, and choose the office per job; they need no membership. The
-- owner (BYPASSRLS, Deploy/postgres-roles.sql) provisions offices and memberships.
--
-- The setting is parsed strictly: an office key in canonical decimal ('1', '42'), or empty /
-- unset for none. Anything else (' 1', '01', '+1', '1e0', '0x1') is an error, not an office.

CREATE OR REPLACE FUNCTION ipcase_current_office() RETURNS bigint
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    setting text := current_setting('ipcase.office_id', true);
BEGIN
    IF setting IS NULL OR setting = '' THEN
        RETURN NULL;
    END IF;
    -- At most 18 digits: every such key fits a bigint.
    IF setting !~ '^[1-9][0-9]{0,17}$' THEN
        RAISE EXCEPTION 'ipcase.office_id is not an office key'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'an office key is written in decimal digits, without sign, spaces or leading zeros';
    END IF;
    RETURN setting::bigint;
END
$$;

CREATE TABLE office_members (
    office_id   bigint NOT NULL REFERENCES offices ON DELETE CASCADE,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    -- A login role's name (pg_roles.rolname); the store checks it exists when granting.
    login       text NOT NULL CHECK (login <> '' AND octet_length(login) <= 63),
    role        text NOT NULL CHECK (role IN ('admin', 'officer', 'attorney', 'viewer')),
    granted_by  text NOT NULL DEFAULT ipcase_current_actor(),
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office_id, id),
    UNIQUE (login, office_id)
);
CREATE TRIGGER office_members_touch BEFORE UPDATE ON office_members
    FOR EACH ROW EXECUTE FUNCTION ipcase_touch_row();
CREATE TRIGGER office_members_audit_insert AFTER INSERT ON office_members REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
CREATE TRIGGER office_members_audit_update AFTER UPDATE ON office_members
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
CREATE TRIGGER office_members_audit_delete AFTER DELETE ON office_members REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();

-- Each personal login sees its own memberships (the policies below read them as that login);
-- nobody but the owner changes them.
ALTER TABLE office_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE office_members FORCE ROW LEVEL SECURITY;
CREATE POLICY own_memberships ON office_members FOR SELECT TO ipcase_app, ipcase_report
    USING (login = session_user);
GRANT SELECT ON office_members TO ipcase_app, ipcase_report;

-- The chosen office when the session's login is a member of it (with a role that may write,
-- when `writing`), else NULL. Policies call it as `(SELECT …)`: one evaluation per statement.
CREATE FUNCTION ipcase_member_office(writing boolean) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, public, pg_temp
    AS $$
        SELECT m.office_id FROM office_members m
        WHERE m.office_id = ipcase_current_office() AND m.login = session_user
          AND (NOT writing OR m.role <> 'viewer')
    $$;

-- The per-office policies of one tenant table: tenant_app (read as a member, write as a member
-- who is not a viewer; a restrictive policy keeps viewers from deleting) and tenant_report.
CREATE FUNCTION ipcase_member_policies(target regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('DROP POLICY IF EXISTS tenant_app ON %s', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_report ON %s', target);
    EXECUTE format('CREATE POLICY tenant_app ON %s FOR ALL TO ipcase_app '
                   'USING (office_id = (SELECT ipcase_member_office(false))) '
                   'WITH CHECK (office_id = (SELECT ipcase_member_office(true)))', target);
    EXECUTE format('CREATE POLICY tenant_app_delete ON %s AS RESTRICTIVE FOR DELETE TO ipcase_app '
                   'USING (office_id = (SELECT ipcase_member_office(true)))', target);
    EXECUTE format('CREATE POLICY tenant_report ON %s FOR SELECT TO ipcase_report '
                   'USING (office_id = (SELECT ipcase_member_office(false)))', target);
END
$$;
REVOKE ALL ON FUNCTION ipcase_member_policies(regclass) FROM PUBLIC;

-- Every table secured by 0008 gets the membership policies.
DO $$
BEGIN
    PERFORM ipcase_member_policies(p.polrelid::regclass)
    FROM pg_catalog.pg_policy p WHERE p.polname = 'tenant_app';
END
$$;

-- Tables added later: as 0008's function, with the membership policies.
CREATE OR REPLACE FUNCTION ipcase_secure_tenant_table(target regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    PERFORM ipcase_member_policies(target);
    EXECUTE format('CREATE POLICY service_daemon ON %s FOR ALL TO ipcase_daemon '
                   'USING (true) WITH CHECK (true)', target);
END
$$;
