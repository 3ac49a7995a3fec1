-- Text limits: titles at most 2 000 characters, names at most 500. ipcase checks them first with
-- a message naming the option or the CSV row; the constraints keep every other writer to them,
-- and their names carry the limit the store's messages quote (`<table>_<column>_max_<n>`).
-- NOT VALID: rows written before are left as they are; new and changed rows are checked.
ALTER TABLE rights ADD CONSTRAINT rights_title_max_2000 CHECK (char_length(title) <= 2000) NOT VALID;
ALTER TABLE disclosures ADD CONSTRAINT disclosures_title_max_2000 CHECK (char_length(title) <= 2000) NOT VALID;
ALTER TABLE deals ADD CONSTRAINT deals_title_max_2000 CHECK (char_length(title) <= 2000) NOT VALID;
ALTER TABLE parties ADD CONSTRAINT parties_name_max_500 CHECK (char_length(name) <= 500) NOT VALID;
ALTER TABLE offices ADD CONSTRAINT offices_name_max_500 CHECK (char_length(name) <= 500) NOT VALID;
