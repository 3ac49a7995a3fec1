-- A right's deadlines are computed by the rules of its jurisdiction and kind, or, for a
-- jurisdiction or kind without rules, entered by hand: such a right is accepted only when asked
-- for (`ipcase rights create --deadlines manual`, the `deadlines` column of rights.csv) and is
-- then shown as having no computed deadlines.
ALTER TABLE rights ADD COLUMN deadlines text NOT NULL DEFAULT 'computed'
    CHECK (deadlines IN ('computed', 'manual'));
