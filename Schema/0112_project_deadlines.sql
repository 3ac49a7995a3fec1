-- 0112: a funded project's obligations are deadlines in the office's docket (issue 14 §1):
-- reports on each stage and a final report to the funder, deliverables, and the state
-- registration of a budget-funded project, each stored like an agreement's obligations in
-- `deadlines`, keyed by (office, project, rule, trigger, period) so that recomputing never
-- duplicates one. A project has a manager who is reminded (without one, the office's supervisor),
-- and the day it was completed or terminated (a terminated project owes only what fell due by then).
ALTER TABLE funded_projects
    ADD COLUMN obligations jsonb NOT NULL DEFAULT '[]'
        CONSTRAINT funded_projects_obligations_check CHECK (jsonb_typeof(obligations) = 'array'),
    ADD COLUMN manager_id bigint,
    ADD COLUMN ended_on date,
    ADD CONSTRAINT funded_projects_manager_fkey FOREIGN KEY (office_id, manager_id) REFERENCES parties (office_id, id);

ALTER TABLE deadlines
    ADD COLUMN project_id bigint,
    ADD CONSTRAINT deadlines_project_fkey FOREIGN KEY (office_id, project_id) REFERENCES funded_projects (office_id, id);

-- A deadline belongs to exactly one right, agreement or project (0004's unnamed CHECK named
-- only the first two; it is found by its definition).
DO $$
DECLARE
    name text;
BEGIN
    SELECT conname INTO STRICT name FROM pg_constraint
    WHERE conrelid = 'deadlines'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%num_nonnulls(right_id, agreement_id)%';
    EXECUTE format('ALTER TABLE deadlines DROP CONSTRAINT %I', name);
END
$$;
ALTER TABLE deadlines ADD CONSTRAINT deadlines_one_subject CHECK (num_nonnulls(right_id, agreement_id, project_id) = 1);

-- The key: ON CONFLICT (office_id, project_id, rule_id, trigger_key, year) WHERE project_id IS NOT NULL.
CREATE UNIQUE INDEX deadlines_project_key ON deadlines (office_id, project_id, rule_id, trigger_key, year)
    WHERE project_id IS NOT NULL;

-- The daemon computes the deadlines from the project, its stages and its manager, and locks the
-- project's row while it does (FOR NO KEY UPDATE needs an UPDATE privilege: it gets one on a
-- column it never writes, updated_at, which the touch trigger keeps).
GRANT SELECT ON funded_projects, project_stages TO ipcase_daemon;
GRANT UPDATE (updated_at) ON funded_projects TO ipcase_daemon;
