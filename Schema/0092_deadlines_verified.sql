-- 0092: a deadline verified by a second person.
--
-- Law firms docket with a second person's check: someone other than the person who recorded
-- the event that triggered a deadline confirms its dates (`ipcase deadlines verify ID`). The
-- verifier and the time are kept on the row (and, as every update, in the audit trail). A
-- deadline whose due or final date moves loses its verification and must be verified again.
ALTER TABLE deadlines ADD COLUMN verified_by text, ADD COLUMN verified_at timestamptz,
    ADD CHECK ((verified_by IS NULL) = (verified_at IS NULL));

CREATE FUNCTION ipcase_deadline_unverify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.verified_by := NULL;
    NEW.verified_at := NULL;
    RETURN NEW;
END
$$;
-- Only rows whose dates change call the function (the WHEN is evaluated without it).
CREATE TRIGGER deadlines_moved_unverified BEFORE UPDATE ON deadlines
    FOR EACH ROW WHEN (OLD.verified_at IS NOT NULL
                       AND (OLD.due_date IS DISTINCT FROM NEW.due_date
                            OR OLD.final_date IS DISTINCT FROM NEW.final_date))
    EXECUTE FUNCTION ipcase_deadline_unverify();
