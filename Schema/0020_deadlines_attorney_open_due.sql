-- 0020: an attorney's docket — their open deadlines by due date, within their office.
--
-- "Open deadlines of one attorney in the next 30 days" otherwise walks the whole office's
-- window through deadlines_office_open_due and filters by attorney, which grows with the
-- office (ipcase-bench docket: at 10M deadlines the p99 exceeded its 5 ms goal). With this
-- index the query reads only the attorney's rows.
CREATE INDEX deadlines_attorney_open_due ON deadlines (office_id, attorney_id, due_date)
    WHERE status = 'open' AND attorney_id IS NOT NULL;
