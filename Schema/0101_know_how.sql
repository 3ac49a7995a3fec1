-- 0101: know-how kept as a trade secret, as a right.
--
-- Know-how has no title: it is in force while kept secret (documented, access restricted),
-- shared under NDAs and licensed under agreements linked to it like any right (agreement_rights).
ALTER TABLE rights DROP CONSTRAINT rights_kind_check;
ALTER TABLE rights ADD CONSTRAINT rights_kind_check CHECK (kind IN
    ('patent', 'utility-model', 'design', 'trademark', 'pct-application', 'provisional',
     'selection-achievement', 'software', 'database', 'work', 'know-how'));

-- A right past draft was filed (application number and date), and a granted or in-force title
-- has its grant date and number; know-how is never filed and has neither.
ALTER TABLE rights DROP CONSTRAINT rights_check;
ALTER TABLE rights ADD CONSTRAINT rights_filed_application CHECK (
    state IN ('draft', 'abandoned', 'withdrawn') OR kind = 'know-how'
    OR (filing_date IS NOT NULL AND application_number IS NOT NULL));
ALTER TABLE rights DROP CONSTRAINT rights_check1;
ALTER TABLE rights ADD CONSTRAINT rights_granted_title CHECK (
    state NOT IN ('granted', 'in-force') OR kind = 'know-how'
    OR (grant_date IS NOT NULL AND registration_number IS NOT NULL));
ALTER TABLE rights ADD CONSTRAINT rights_know_how_never_filed CHECK (
    kind <> 'know-how' OR state IN ('draft', 'in-force', 'abandoned', 'expired'));
