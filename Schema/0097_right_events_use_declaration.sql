-- 0097: a trademark's declaration of use is an event.
--
-- A US registration must be kept alive by a declaration of use between the fifth and the sixth
-- year after registration (15 U.S.C. 1058(a)(1)); the `use-declaration-filed` event meets that
-- deadline (the ten-year declaration is filed with the renewal, `renewal-requested`).
ALTER TABLE right_events DROP CONSTRAINT right_events_kind_check;
ALTER TABLE right_events ADD CONSTRAINT right_events_kind_check CHECK (kind IN
    ('filed', 'priority', 'pct-filed', 'published', 'search-report',
     'search-report-transmitted', 'formal-examination-notice',
     'examination-requested', 'examination-fee-paid', 'office-action',
     'response-filed', 'extension-requested', 'demand-filed', 'allowed',
     'grant-decision', 'grant-fee-paid', 'granted', 'annuity-paid',
     'national-phase-entered', 'non-provisional-filed', 'renewal-requested',
     'use-declaration-filed',
     'lapsed', 'restored', 'lapse-rescinded', 'withdrawn', 'abandoned', 'refused', 'revoked',
     'expired'));
