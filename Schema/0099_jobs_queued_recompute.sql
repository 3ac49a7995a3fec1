-- 0099: a right's (or agreement's) queued recomputation is queued once.
--
-- A recomputation reads the record's events as they are when it runs, so a second one queued
-- behind a first that has not started yet adds nothing: recording five events of a right (an
-- import, a burst of docketing) queues one job, not five. `enqueue` finds the queued job of the
-- same payload through this index and locks it until its transaction commits (a worker's claim
-- skips locked jobs), so the job it relies on cannot start before the new event is visible.
CREATE INDEX jobs_queued_recompute ON jobs (office_id, payload)
    WHERE status = 'queued' AND kind = 'recompute-deadlines';
