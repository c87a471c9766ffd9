-- The SMS outbox (DESIGN "Notifications"): a message is a row written in the same transaction as
-- the event that causes it; a worker sends it later. dedupe_key makes "never twice" a constraint
-- (e.g. 'overdue:<loan>:<offset>').
create table sms_outbox (
    id integer primary key,
    patron_id integer references patrons (id),
    to_number text,
    kind text not null,
    body text not null,
    urgent integer not null default 0,
    status text not null default 'pending'
        check (status in ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'skipped', 'notConfigured')),
    dedupe_key text unique,
    not_before text not null,
    attempts integer not null default 0,
    next_attempt_at text not null,
    claimed_until text,
    claimed_by text,
    provider_sid text,
    last_error text,
    created_at text not null,
    updated_at text not null,
    sent_at text
);

create index sms_outbox_due on sms_outbox (status, next_attempt_at);
create index sms_outbox_patron on sms_outbox (patron_id, created_at);
