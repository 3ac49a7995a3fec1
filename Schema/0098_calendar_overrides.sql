-- 0098: office calendars updated without a release, and deadlines that say what moved.
--
-- Kazakhstan moves days off by decree during the year, and patent offices announce closures;
-- an office cannot wait for a new build. A calendar override closes a day (or makes a weekend
-- day a working day) of one embedded calendar for one office, with its source and who entered
-- it. The engine lays the office's overrides over the embedded calendars wherever it computes
-- that office's deadlines; adding or removing one queues the recomputation of the office's
-- rights with open deadlines.
CREATE TABLE calendar_overrides (
    office_id   bigint NOT NULL REFERENCES offices ON DELETE CASCADE,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    calendar_id text NOT NULL CHECK (calendar_id ~ '^[A-Z]{2}$'),
    day         date NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('closed', 'working')),
    source      text NOT NULL CONSTRAINT calendar_overrides_source_not_empty CHECK (btrim(source) <> '')
                CONSTRAINT calendar_overrides_source_max_2000 CHECK (char_length(source) <= 2000),
    entered_by  text NOT NULL,
    entered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office_id, id),
    CONSTRAINT calendar_overrides_one_per_day UNIQUE (office_id, calendar_id, day)
);
CREATE TRIGGER calendar_overrides_audit_insert AFTER INSERT ON calendar_overrides
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
CREATE TRIGGER calendar_overrides_audit_delete AFTER DELETE ON calendar_overrides
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
SELECT ipcase_secure_tenant_table('calendar_overrides');
GRANT SELECT, INSERT, DELETE ON calendar_overrides TO ipcase_app;
GRANT SELECT ON calendar_overrides TO ipcase_daemon, ipcase_report;

-- An open deadline whose due or final date moves keeps the dates it had and why it moved (the
-- docket shows "moved from …"); the daemon writes them in the recomputation that moves it.
ALTER TABLE deadlines ADD COLUMN moved_from_due date, ADD COLUMN moved_from_final date,
    ADD COLUMN moved_reason text, ADD COLUMN moved_at timestamptz;

-- The fingerprint of the rules and calendars the last daemon computed with. A release whose
-- embedded data differs queues the recomputation of every right with open deadlines at start.
CREATE TABLE engine_data (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    fingerprint text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON engine_data TO ipcase_app, ipcase_report;
GRANT SELECT, INSERT, UPDATE ON engine_data TO ipcase_daemon;
