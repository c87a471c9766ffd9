-- Sign-in sessions (#14 item 5): every bearer token and page cookie names one row and is honoured only
-- while the row is neither ended nor expired. Signing out on a shared library PC ends it on the server,
-- and a director can end a staff member's sessions (and does, by disabling the account or changing
-- its role or password).
create table sessions (
    id text primary key,
    account_kind text not null check (account_kind in ('staff', 'patron')),
    account_id integer not null,
    created_at text not null,
    expires_at text not null,
    ended_at text
);
create index sessions_account on sessions (account_kind, account_id) where ended_at is null;
create index sessions_expiry on sessions (expires_at);

-- Twilio webhooks already handled (#14 item 6): an inbound SMS once per MessageSid, a delivery report
-- once per MessageSid and status, so a replayed signed "ANNULER"/"OUI" does nothing.
create table webhook_messages (
    message_sid text not null,
    event text not null,
    received_at text not null,
    primary key (message_sid, event)
);
create index webhook_messages_received on webhook_messages (received_at);
