-- 0090: the sweeper finds the rights and agreements whose events are not processed yet.
--
-- Before it reminds, escalates or marks a deadline missed, the sweeper skips every right and
-- agreement of the office with a recomputation job still queued, running or parked as dead:
-- the stored deadline may already be met by an event recorded a moment ago (a fee paid).
-- Only those jobs are indexed, per office; done jobs (the bulk of the table) are not.
CREATE INDEX jobs_pending_recompute ON jobs (office_id)
    WHERE kind = 'recompute-deadlines' AND status IN ('queued', 'running', 'dead');
