-- 0001 foundation: what every later migration may rely on.
-- The migrator itself creates and maintains schema_migrations (version, name, checksum, applied_at);
-- domain tables come in 0002 and later. An applied file must never be edited: add a new one.

-- Facts about this database, for operators and for the daemon's start-up checks.
CREATE TABLE ipcase_meta (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ipcase_meta (key, value) VALUES ('schema', 'ipcase');

-- Trigger function for tables with an updated_at column:
--   CREATE TRIGGER t_updated_at BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION ipcase_set_updated_at();
CREATE FUNCTION ipcase_set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER ipcase_meta_updated_at BEFORE UPDATE ON ipcase_meta
    FOR EACH ROW EXECUTE FUNCTION ipcase_set_updated_at();
