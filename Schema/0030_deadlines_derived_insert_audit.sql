-- 0030: the audit of deadlines the daemon derives.
--
-- ipcased recomputes a right's deadlines from its events and upserts the engine's output
-- (ServiceSession.replaceSchedules). Writing a full to_jsonb audit row for every deadline it
-- inserts doubled the cost of processing an event, and such a row says nothing the deadline row
-- does not: the row itself is never deleted (superseded, not removed), carries created_at, its
-- rule, trigger and citation, and is reproducible from the right's events, which are append-only
-- (right_events, workflow_history). So inserts made by the daemon's upsert are not audited row by
-- row. Still audited in full, before and after: every UPDATE of a deadline by anyone (a due or
-- final date the recomputation changed, a deadline superseded, met, reopened, completed, waived
-- or missed), every DELETE, and every INSERT made by anyone else.
--
-- "Made by the daemon's upsert" is: the transaction-local flag ipcase.derived_deadlines is 'on'
-- (set by replaceSchedules around its INSERT only) and the session is a member of
-- ipcase_daemon (people, as ipcase_app, cannot skip the audit by setting the flag; the owner and
-- superusers, who are members of every role, can disable triggers anyway).
DROP TRIGGER deadlines_audit_insert ON deadlines;
CREATE TRIGGER deadlines_audit_insert AFTER INSERT ON deadlines REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT
    WHEN (current_setting('ipcase.derived_deadlines', true) IS DISTINCT FROM 'on'
          OR NOT pg_has_role('ipcase_daemon', 'MEMBER'))
    EXECUTE FUNCTION ipcase_audit();
