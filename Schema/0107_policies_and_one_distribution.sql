-- 0107: revenue-sharing policies as records, and one distribution per payment (issue 14 §4).
--
-- A policy is created for an effective date and, once a distribution has used it, never
-- changes: a new rule is a new policy from a later date. A payment's split is stored once;
-- recomputing it (`ipcase distribution --recompute`) marks the stored split superseded (who and
-- when) and stores the new one, so the history keeps both and the audit trail names the actor.

-- The net shares of a policy sum to 100 %; a policy breaking it cannot be used anyway.
ALTER TABLE distribution_policies
    ADD CONSTRAINT distribution_policies_net_shares_check
        CHECK (inventors_bp + department_bp + institution_bp = 10000) NOT VALID,
    ADD CONSTRAINT distribution_policies_name_max_200 CHECK (char_length(name) <= 200),
    ADD CONSTRAINT distribution_policies_source_max_2000 CHECK (char_length(source) <= 2000);

CREATE FUNCTION ipcase_policy_in_use() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
    AS $$
DECLARE
    used integer;
BEGIN
    SELECT count(*) INTO used FROM distributions WHERE office_id = OLD.office_id AND policy_id = OLD.id;
    IF used > 0 THEN
        RAISE EXCEPTION 'distribution policy % (from %) is used by % distributions and cannot change; create a new policy from a later date',
            OLD.name, OLD.effective_from, used
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER distribution_policies_in_use BEFORE UPDATE OR DELETE ON distribution_policies
    FOR EACH ROW EXECUTE FUNCTION ipcase_policy_in_use();

ALTER TABLE distributions
    ADD COLUMN superseded_at timestamptz,
    ADD COLUMN superseded_by text CONSTRAINT distributions_superseded_by_max_200 CHECK (char_length(superseded_by) <= 200),
    ADD CONSTRAINT distributions_superseded_together CHECK ((superseded_at IS NULL) = (superseded_by IS NULL));

-- Payments split more than once before this migration keep their latest split; the earlier
-- ones are marked superseded by the migration.
UPDATE distributions d
SET superseded_at = now(), superseded_by = 'migration 0107'
WHERE EXISTS (
    SELECT FROM distributions later
    WHERE later.office_id = d.office_id AND later.payment_id = d.payment_id AND later.id > d.id);

CREATE UNIQUE INDEX distributions_one_current ON distributions (office_id, payment_id) WHERE superseded_at IS NULL;

GRANT UPDATE (superseded_at, superseded_by) ON distributions TO ipcase_app;

CREATE TRIGGER distribution_policies_audit_insert AFTER INSERT ON distribution_policies
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
CREATE TRIGGER distribution_policies_audit_update AFTER UPDATE ON distribution_policies
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
CREATE TRIGGER distribution_policies_audit_delete AFTER DELETE ON distribution_policies
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
CREATE TRIGGER distributions_audit_insert AFTER INSERT ON distributions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
CREATE TRIGGER distributions_audit_update AFTER UPDATE ON distributions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ipcase_audit();
