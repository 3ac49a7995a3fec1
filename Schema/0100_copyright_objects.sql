-- 0100: objects of copyright (computer programs, databases, other works) as rights.
--
-- They are entered in the state register of rights to objects protected by copyright: the
-- application to the register is `filed` (state `submitted`), the certificate `granted` (state
-- `registered`, with its number and date). Their term runs from the death of the last surviving
-- author, recorded as an `author-died` event.
ALTER TABLE rights DROP CONSTRAINT rights_kind_check;
ALTER TABLE rights ADD CONSTRAINT rights_kind_check CHECK (kind IN
    ('patent', 'utility-model', 'design', 'trademark', 'pct-application', 'provisional',
     'selection-achievement', 'software', 'database', 'work'));

ALTER TABLE rights DROP CONSTRAINT rights_state_check;
ALTER TABLE rights ADD CONSTRAINT rights_state_check CHECK (state IN
    ('draft', 'filed', 'published', 'under-examination', 'allowed', 'granted', 'in-force', 'expired',
     'lapsed', 'abandoned', 'withdrawn', 'refused', 'revoked', 'national-phase-entered',
     'submitted', 'registered'));

-- The registration guard of the right workflow, kept by the database too.
ALTER TABLE rights ADD CONSTRAINT rights_registered_certificate
    CHECK (state <> 'registered' OR (grant_date IS NOT NULL AND registration_number IS NOT NULL));

ALTER TABLE right_events DROP CONSTRAINT right_events_kind_check;
ALTER TABLE right_events ADD CONSTRAINT right_events_kind_check CHECK (kind IN
    ('filed', 'priority', 'pct-filed', 'published', 'search-report',
     'search-report-transmitted', 'formal-examination-notice',
     'examination-requested', 'examination-fee-paid', 'office-action',
     'response-filed', 'extension-requested', 'demand-filed', 'allowed',
     'grant-decision', 'grant-fee-paid', 'granted', 'annuity-paid',
     'national-phase-entered', 'non-provisional-filed', 'renewal-requested',
     'use-declaration-filed', 'author-died',
     'lapsed', 'restored', 'lapse-rescinded', 'withdrawn', 'abandoned', 'refused', 'revoked',
     'expired'));
