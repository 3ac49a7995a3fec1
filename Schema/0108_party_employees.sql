-- 0108: how many employees an organization has, for the AUTM survey's licensee types (a small
-- company has fewer than 500 employees, a large one 500 or more; start-ups are told apart by
-- their spin-off agreements). Unknown when not recorded.
ALTER TABLE parties
    ADD COLUMN employees integer CONSTRAINT parties_employees_check CHECK (employees >= 0);
