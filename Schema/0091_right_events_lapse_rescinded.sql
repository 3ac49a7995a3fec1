-- 0091: a lapse recorded for a missed fee can be rescinded.
--
-- Payments are often entered after the fact. When a fee the sweeper found unpaid turns out to
-- have been paid in time, the lapse it recorded is withdrawn by a `lapse-rescinded` event (the
-- events stay append-only: the history shows both the lapse and its withdrawal).
ALTER TABLE right_events DROP CONSTRAINT right_events_kind_check;
ALTER TABLE right_events ADD CONSTRAINT right_events_kind_check CHECK (kind IN
    ('filed', 'priority', 'pct-filed', 'published', 'search-report',
     'search-report-transmitted', 'formal-examination-notice',
     'examination-requested', 'examination-fee-paid', 'office-action',
     'response-filed', 'extension-requested', 'demand-filed', 'allowed',
     'grant-decision', 'grant-fee-paid', 'granted', 'annuity-paid',
     'national-phase-entered', 'non-provisional-filed', 'renewal-requested',
     'lapsed', 'restored', 'lapse-rescinded', 'withdrawn', 'abandoned', 'refused', 'revoked',
     'expired'));
