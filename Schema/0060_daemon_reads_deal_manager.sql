-- 0060: the daemon reads who manages a deal, and nothing else of deals.
--
-- An agreement's obligation deadlines (royalty reports, milestones, option exercise) are
-- reminded to the person responsible for the agreement: the manager of the deal it came from
-- (agreements have no responsible party of their own); without one, the office's supervisor.
-- The daemon cannot read deals (0008); a column privilege gives it the manager only.
GRANT SELECT (office_id, id, manager_id) ON deals TO ipcase_daemon;
