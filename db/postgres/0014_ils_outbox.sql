-- Checkouts and checkins that could not reach the library system through SIP2 (issue 13): kept here
-- and sent again in order (id) until the library system answers. sent_at set: answered (result says
-- how); error: the last failure or the library system's refusal.
create table ils_outbox (
    id bigint generated always as identity primary key,
    kind text not null check (kind in ('checkout', 'checkin')),
    card_number text,
    barcode text not null,
    occurred_at timestamptz not null,
    attempts integer not null default 0,
    error text,
    result text check (result in ('done', 'refused')),
    sent_at timestamptz,
    created_at timestamptz not null
);
create index ils_outbox_pending on ils_outbox (id) where sent_at is null;
