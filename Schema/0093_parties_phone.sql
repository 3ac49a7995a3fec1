-- Parties get a telephone number next to their e-mail; neither may be empty text (NULL: none).
ALTER TABLE parties ADD COLUMN phone text;
UPDATE parties SET email = NULL WHERE email = '';
ALTER TABLE parties ADD CONSTRAINT parties_email_not_empty CHECK (email IS NULL OR email <> '') NOT VALID;
ALTER TABLE parties ADD CONSTRAINT parties_phone_not_empty CHECK (phone IS NULL OR phone <> '') NOT VALID;
