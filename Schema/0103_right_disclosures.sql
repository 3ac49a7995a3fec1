-- 0103: a right that comes from several disclosures.
--
-- `rights.disclosure_id` stays the disclosure a right protects first (its inventors, funding
-- and IPC symbols are what reports and distribution read). Know-how pooled from several
-- disclosures, or an application combining two inventions, names the further ones here. Each
-- link is audited (its own key, like every audited table) and isolated per office.
CREATE TABLE right_disclosures (
    office_id     bigint NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    right_id      bigint NOT NULL,
    disclosure_id bigint NOT NULL,
    PRIMARY KEY (office_id, id),
    CONSTRAINT right_disclosures_once UNIQUE (office_id, right_id, disclosure_id),
    FOREIGN KEY (office_id, right_id) REFERENCES rights (office_id, id) ON DELETE CASCADE,
    FOREIGN KEY (office_id, disclosure_id) REFERENCES disclosures (office_id, id)
);
CREATE INDEX right_disclosures_disclosure ON right_disclosures (office_id, disclosure_id);

-- A further disclosure is never the right's first one.
CREATE FUNCTION ipcase_right_disclosures_not_first() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM rights r
               WHERE r.office_id = NEW.office_id AND r.id = NEW.right_id
                 AND r.disclosure_id IS NOT DISTINCT FROM NEW.disclosure_id) THEN
        RAISE EXCEPTION 'disclosure % is already the first disclosure of the right, not a further one',
            NEW.disclosure_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER right_disclosures_not_first BEFORE INSERT ON right_disclosures
    FOR EACH ROW EXECUTE FUNCTION ipcase_right_disclosures_not_first();

CREATE TRIGGER right_disclosures_audit_insert AFTER INSERT ON right_disclosures
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
CREATE TRIGGER right_disclosures_audit_delete AFTER DELETE ON right_disclosures
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
SELECT ipcase_secure_tenant_table('right_disclosures');
GRANT SELECT, INSERT, DELETE ON right_disclosures TO ipcase_app;
GRANT SELECT ON right_disclosures TO ipcase_daemon, ipcase_report;
