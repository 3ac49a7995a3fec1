-- 0118: the language of the daemon's notices.
--
-- An office writes in Kazakh, Russian or English: its reminders, escalations and missed or
-- moved notices go out in its language (`ipcase offices create|update --language`), English
-- unless one is chosen. A notice to a web user of the office who chose a language for the
-- workspace goes in theirs instead: the daemon finds them by the e-mail the notice goes to.
--
-- The outbox's idempotency keys stay language-independent (`deadline:<id>:reminder:<offset>`),
-- so an office that changes its language is not sent again what it was already sent.

ALTER TABLE offices ADD COLUMN language text NOT NULL DEFAULT 'en'
    CHECK (language IN ('en', 'kk', 'ru'));

-- The daemon reads, of the web's users, only what choosing a notice's language needs: who has
-- which e-mail and language, whether they are enabled, and in which offices they hold a role.
GRANT SELECT (id, email, language, disabled) ON web_users TO ipcase_daemon;
GRANT SELECT (user_id, office_id) ON web_user_offices TO ipcase_daemon;
