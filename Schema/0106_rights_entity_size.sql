-- The applicant's entity size at an office that reduces fees by it (the USPTO: small and micro
-- entities, 35 U.S.C. 41(h)); the fee forecast prices the right's fees at it. Empty: large.
ALTER TABLE rights ADD COLUMN entity_size text CHECK (entity_size IN ('large', 'small', 'micro'));
