-- 0002: the group roles and the helper functions every later migration uses.
--
-- Roles are cluster-wide while migrations run per database, and test suites migrate many
-- databases of one cluster at the same time: each CREATE ROLE is idempotent and race-safe
-- (an existing role, or one created by a concurrent migration, is not an error). Deployments
-- create these roles beforehand with Deploy/postgres-roles.sql, so the migrating owner needs
-- no CREATEROLE.
--
--   ipcase_app     the command line and other per-office sessions: sees its own office only
--   ipcase_daemon  ipcased: a cross-office service role with narrow table privileges
--   ipcase_report  read-only reporting, per office
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['ipcase_app', 'ipcase_daemon', 'ipcase_report'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', name);
            EXCEPTION
                -- duplicate_object: created meanwhile; unique_violation: created by a
                -- concurrent transaction that committed while this one waited on it.
                WHEN duplicate_object OR unique_violation THEN NULL;
            END;
        END IF;
    END LOOP;
END
$$;

-- The office of the current session (`SET LOCAL ipcase.office_id`), or NULL when none is set.
-- An unset custom setting reads as NULL, a reset one as '' (both mean "no office").
CREATE FUNCTION ipcase_current_office() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('ipcase.office_id', true), '')::bigint $$;

-- Who is acting (`SET LOCAL ipcase.actor`), falling back to the database user.
CREATE FUNCTION ipcase_current_actor() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(nullif(current_setting('ipcase.actor', true), ''), session_user::text) $$;

-- BEFORE UPDATE on mutable records: every change bumps `version` (optimistic concurrency,
-- also for changes made by the daemon) and stamps `updated_at`.
CREATE FUNCTION ipcase_touch_row() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- BEFORE UPDATE/DELETE/TRUNCATE on append-only tables: refused for every role. (Privileges
-- refuse it too; the trigger also stops the owner by mistake. A retention job that must
-- delete old rows disables the trigger explicitly, as the owner.)
CREATE FUNCTION ipcase_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
