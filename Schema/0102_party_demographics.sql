-- 0102: a person's gender and career stage, recorded only with their consent, for indicators
-- reported in aggregate (small counts suppressed).
ALTER TABLE parties
    ADD COLUMN gender text CHECK (gender IN ('female', 'male', 'non-binary', 'undisclosed')),
    ADD COLUMN career_stage text CHECK (career_stage IN ('student', 'early-career', 'mid-career', 'senior')),
    -- The day the person consented; nothing is recorded without it.
    ADD COLUMN demographics_consented_on date,
    ADD CONSTRAINT parties_demographics_consented CHECK (
        (gender IS NULL AND career_stage IS NULL) OR demographics_consented_on IS NOT NULL),
    ADD CONSTRAINT parties_demographics_people CHECK (demographics_consented_on IS NULL OR kind = 'person');
