-- The library system (issue 12): copy statuses sent by it, the status files picked up from a folder,
-- the holds staff must look at when a copy they counted on goes, and patrons imported from it.

-- The due date the library system gave a copy on loan (shown to staff; cleared when it comes back).
alter table copies add column due_on text;

-- A status file from the folder is claimed by one instance at a time (claimed_by, claimed_until:
-- the outbox's lease), and remembered once done so it is never applied twice.
create table copy_status_files (
    name text primary key,
    claimed_by text,
    claimed_until text,
    done_at text,
    summary text not null default ''
);

-- A hold whose copy went (withdrawn, lost, lent at the desk) or whose title has no copy left: staff
-- see it until they mark it resolved.
create table hold_alerts (
    id integer primary key,
    hold_id integer not null references holds (id),
    copy_id integer references copies (id),
    reason text not null,
    created_at text not null,
    resolved_at text
);

create index hold_alerts_open on hold_alerts (resolved_at, created_at);

-- Patrons from the library system: the card's expiry date, and deactivation when a full export no
-- longer lists the patron (never deleted: holds and loans keep their link). An empty pin_hash means
-- "no PIN yet": the patron sets one at first sign-in.
alter table patrons add column expires_on text;
alter table patrons add column deactivated_at text;
