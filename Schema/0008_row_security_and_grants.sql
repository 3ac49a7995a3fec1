-- 0008: tenant isolation by row-level security, and least-privilege grants.
--
-- Every table has office_id, row-level security ENABLEd and FORCEd (so even a table owner
-- without BYPASSRLS sees nothing by mistake), and three policies:
--
--   tenant_app      ipcase_app: only rows of the session's office (ipcase.office_id, set with
--                   set_config(…, true) in each transaction); no office set → no rows.
--   tenant_report   ipcase_report: the same, for SELECT only.
--   service_daemon  ipcase_daemon: every office's rows. The daemon is a service, not a tenant:
--                   it claims jobs, recomputes deadlines and sweeps reminders for all offices
--                   in batches that span offices (one commit per batch is what makes it
--                   fast), so it cannot hold a single office per transaction. Its table
--                   privileges are narrow instead: it cannot read disclosures or deals, change
--                   parties, or touch the audit trail. (The policy is a plain `true`: a
--                   condition here, even "office set → that office", is planned into the
--                   claim query and turned its ordered index scan into a bitmap scan and a
--                   sort, 20× slower on a 200k-row queue.)
--
-- A login must be a member of exactly one of these roles: policies are permissive, so a
-- member of both ipcase_app and ipcase_daemon would see every office.
--
-- The owner (the role that migrates) keeps every privilege; deployments give it BYPASSRLS
-- (Deploy/postgres-roles.sql). A later migration that adds a tenant table calls
-- ipcase_secure_tenant_table('name') and grants per role as below.

CREATE FUNCTION ipcase_secure_tenant_table(target regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    EXECUTE format('CREATE POLICY tenant_app ON %s FOR ALL TO ipcase_app '
                   'USING (office_id = ipcase_current_office()) '
                   'WITH CHECK (office_id = ipcase_current_office())', target);
    EXECUTE format('CREATE POLICY tenant_report ON %s FOR SELECT TO ipcase_report '
                   'USING (office_id = ipcase_current_office())', target);
    EXECUTE format('CREATE POLICY service_daemon ON %s FOR ALL TO ipcase_daemon '
                   'USING (true) WITH CHECK (true)', target);
END
$$;
REVOKE ALL ON FUNCTION ipcase_secure_tenant_table(regclass) FROM PUBLIC;

DO $$
BEGIN
    PERFORM ipcase_secure_tenant_table(t::regclass) FROM unnest(ARRAY[
        'offices', 'parties', 'disclosures', 'disclosure_inventors',
        'right_families', 'rights', 'right_events', 'deadlines',
        'agreements', 'agreement_parties', 'agreement_rights', 'deals', 'deal_rights',
        'payments', 'patent_costs', 'distribution_policies', 'distributions', 'distribution_lines',
        'workflow_history', 'audit_log', 'jobs', 'outbox'
    ]) AS t;
END
$$;

-- Audit rows are written only by ipcase_audit() (SECURITY DEFINER, as the owner); this policy
-- lets it insert even for an owner without BYPASSRLS. No other role has INSERT on audit_log.
CREATE POLICY audit_writer ON audit_log FOR INSERT TO PUBLIC WITH CHECK (true);

-- The command line (per office).
GRANT SELECT, UPDATE ON offices TO ipcase_app;
GRANT SELECT, INSERT, UPDATE ON parties, disclosures, right_families, rights, deadlines, agreements,
    deals, payments, patent_costs, distribution_policies TO ipcase_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON disclosure_inventors, agreement_parties TO ipcase_app;
GRANT SELECT, INSERT, DELETE ON agreement_rights, deal_rights TO ipcase_app;
GRANT SELECT, INSERT ON right_events, workflow_history, distributions, distribution_lines, outbox
    TO ipcase_app;
GRANT SELECT, INSERT, UPDATE ON jobs TO ipcase_app;
GRANT SELECT ON audit_log TO ipcase_app;

-- The daemon (all offices, narrow).
GRANT SELECT ON offices, parties, agreement_parties, agreement_rights, payments TO ipcase_daemon;
GRANT SELECT, UPDATE ON rights, agreements TO ipcase_daemon;
GRANT SELECT, INSERT ON right_events TO ipcase_daemon;
GRANT SELECT, INSERT, UPDATE ON deadlines TO ipcase_daemon;
GRANT INSERT ON workflow_history TO ipcase_daemon;
GRANT SELECT, INSERT, UPDATE, DELETE ON jobs, outbox TO ipcase_daemon;

-- Reporting (per office, read-only; not the audit trail or the queues).
GRANT SELECT ON offices, parties, disclosures, disclosure_inventors, right_families,
    rights, right_events, deadlines, agreements, agreement_parties, agreement_rights,
    deals, deal_rights, payments, patent_costs, distribution_policies, distributions,
    distribution_lines, workflow_history TO ipcase_report;

-- Facts every role may read: the schema's metadata (0001) and which migrations are applied
-- (the daemon checks they are current before it reports ready).
GRANT SELECT ON ipcase_meta, schema_migrations TO ipcase_app, ipcase_daemon, ipcase_report;
