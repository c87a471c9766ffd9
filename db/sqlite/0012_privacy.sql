-- Issue 16: reading privacy (PRIVACY.md is the register of every personal field).
--   history_consent(_at)  the patron agrees to keep their reading history past the retention period
--   sms_consent_at        when sms_consent last changed (given or withdrawn)
--   erasure_requested_at  the patron asked for erasure; staff confirm it
--   anonymous             the one row that unlinked records point to (Koha's "AnonymousPatron"): a
--                         returned loan or a finished hold keeps counting, linked to nobody
alter table patrons add column history_consent integer not null default 0;
alter table patrons add column history_consent_at text;
alter table patrons add column sms_consent_at text;
alter table patrons add column erasure_requested_at text;
alter table patrons add column anonymous integer not null default 0;

create unique index patrons_one_anonymous on patrons (anonymous) where anonymous = 1;

-- Staff opening, exporting or erasing a patron's record: who, when, which record, from which page.
-- No foreign keys: the log outlives an erased patron (it then names only an internal id).
create table patron_access_log (
    id integer primary key,
    occurred_at text not null,
    staff_id integer not null,
    patron_id integer not null,
    action text not null check (action in ('open', 'export', 'erase')),
    page text not null default ''
);

create index patron_access_log_time on patron_access_log (occurred_at);
create index patron_access_log_patron on patron_access_log (patron_id, occurred_at);

-- Daily jobs that must run once a day across every app instance: a run claims the day with a
-- conditional update (last_run_on < today), so a second instance finds nothing to claim.
create table job_runs (
    job text primary key,
    last_run_on text,
    last_started_at text,
    last_finished_at text,
    last_result text
);
