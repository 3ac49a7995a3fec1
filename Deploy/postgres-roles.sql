-- IPCase database roles: run once per cluster (and again safely: every step is idempotent),
-- as a superuser, with psql, before the first `ipcased migrate`:
--
--   psql -X -v ON_ERROR_STOP=1 -U postgres \
--        -v owner_password="$(cat /run/secrets/ipcase_owner)" \
--        -v cli_password="$(cat /run/secrets/ipcase_cli)" \
--        -v daemon_password="$(cat /run/secrets/ipcased)" \
--        -v report_password="$(cat /run/secrets/ipcase_reporting)" \
--        -v web_password="$(cat /run/secrets/ipcase_webserver)" \
--        -f Deploy/postgres-roles.sql
--
-- Optional: -v database=NAME (default ipcase). Passwords are psql variables, so they never
-- appear in this file, in the shell history (when read from files as above) or in the server
-- log (psql quotes them as literals; the server stores SCRAM hashes).
--
-- What it creates:
--
--   group roles (NOLOGIN; the migrations create them too, idempotently, and grant per table)
--     ipcase_app      per-office sessions: rows of the office set in `ipcase.office_id`, and
--                     only if the login is a member of it (`ipcase offices grant`, Schema/0070)
--     ipcase_daemon   the daemon, a service login: all offices, narrow table privileges (of the
--                     web's users only e-mail, language and membership: a notice's language, 0118)
--     ipcase_report   read-only, per office, as a member like ipcase_app
--     ipcase_web      the web workspace, a service login: the office of a signed-in user's live
--                     session only (Schema/0113); a member of ipcase_app for its privileges
--     ipcase_web_inventor an inventor's web requests (the server takes it with SET LOCAL ROLE):
--                     only what comes from their own disclosures (Schema/0117)
--
--   login users
--     ipcase_owner     owns the database and schema, runs the migrations (`ipcased migrate`).
--                      BYPASSRLS: it maintains every office's rows; it is not for daily use.
--     ipcase_cli       the command line (`ipcase`), member of ipcase_app
--     ipcased          the daemon, member of ipcase_daemon
--     ipcase_reporting reports and BI tools (a read replica is fine), member of ipcase_report
--     ipcase_webserver the web workspace (`ipcase-web serve`), member of ipcase_web and
--                      ipcase_web_inventor; created only when web_password is given
--
-- After `ipcased migrate`, the owner makes the personal logins members of their offices:
--   ipcase offices grant --login ipcase_cli --office 1 --role officer
--   ipcase offices grant --login ipcase_reporting --office 1 --role viewer
-- (one login per person, each `CREATE ROLE name LOGIN IN ROLE ipcase_app`, is better still:
-- the audit trail and the memberships then name the person).
--
-- A login is a member of exactly one group role: row-level policies are permissive, so a user
-- in both ipcase_app and ipcase_daemon would see every office.
--
-- Connection URLs then look like
--   postgresql://ipcased@db.example/ipcase            (daemon; password from ~/.pgpass or
--   postgresql://ipcase_cli@db.example/ipcase          PGPASSFILE, never on the command line)

\set ON_ERROR_STOP on
\if :{?database}
\else
    \set database ipcase
\endif
\if :{?owner_password}
\else
    \echo 'set -v owner_password=… (and cli_password, daemon_password, report_password)'
    \quit
\endif

-- Group roles.
SELECT format('CREATE ROLE %I NOLOGIN', name)
FROM unnest(ARRAY['ipcase_app', 'ipcase_daemon', 'ipcase_report', 'ipcase_web', 'ipcase_web_inventor']) AS name
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name)
\gexec
GRANT ipcase_app TO ipcase_web;
GRANT ipcase_web TO ipcase_web_inventor;

-- Login users.
SELECT format('CREATE ROLE %I LOGIN', name)
FROM unnest(ARRAY['ipcase_owner', 'ipcase_cli', 'ipcased', 'ipcase_reporting']) AS name
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name)
\gexec

ALTER ROLE ipcase_owner LOGIN BYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
ALTER ROLE ipcase_cli LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'cli_password';
ALTER ROLE ipcased LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'daemon_password';
ALTER ROLE ipcase_reporting LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'report_password';

GRANT ipcase_app TO ipcase_cli;
GRANT ipcase_daemon TO ipcased;
GRANT ipcase_report TO ipcase_reporting;

-- Guard rails per user: no session may hang on a lock for ever; reports are read-only even
-- if a privilege is granted by mistake.
ALTER ROLE ipcase_cli SET statement_timeout = '60s';
ALTER ROLE ipcase_cli SET idle_in_transaction_session_timeout = '5min';
ALTER ROLE ipcased SET idle_in_transaction_session_timeout = '5min';
ALTER ROLE ipcase_reporting SET default_transaction_read_only = on;
ALTER ROLE ipcase_reporting SET statement_timeout = '10min';

\if :{?web_password}
SELECT 'CREATE ROLE ipcase_webserver LOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ipcase_webserver')
\gexec
ALTER ROLE ipcase_webserver LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'web_password';
GRANT ipcase_web, ipcase_web_inventor TO ipcase_webserver;
ALTER ROLE ipcase_webserver SET statement_timeout = '30s';
ALTER ROLE ipcase_webserver SET idle_in_transaction_session_timeout = '1min';
\endif

-- The database, owned by the owner.
SELECT format('CREATE DATABASE %I OWNER ipcase_owner ENCODING ''UTF8''', :'database')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database')
\gexec

\connect :database

-- Only the owner creates objects; everyone else just connects and uses the schema.
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO ipcase_owner;
GRANT CONNECT ON DATABASE :"database" TO ipcase_app, ipcase_daemon, ipcase_report;
ALTER SCHEMA public OWNER TO ipcase_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ipcase_app, ipcase_daemon, ipcase_report;
