-- 0031: one foreign-key check per deadline row instead of two.
--
-- Every deadline belongs to a right or an agreement (CHECK num_nonnulls(right_id, agreement_id)
-- = 1), and its (office_id, right_id) or (office_id, agreement_id) key references that record,
-- whose own office_id references offices: the office of a deadline is checked through its
-- record. The direct reference to offices only added a second check per inserted row (a
-- SELECT … FOR KEY SHARE on offices for each of the daemon's upserted deadlines).
ALTER TABLE deadlines DROP CONSTRAINT deadlines_office_id_fkey;
