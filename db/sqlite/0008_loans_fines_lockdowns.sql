-- Issue 5: loans, the loan and fine policy, the fine ledger, lockdowns and the audit trail.
-- Fines are never stored: they are derived from loans, policies, closures and lockdowns, so a
-- lockdown recorded late or moved always gives the right figure. Payments and waivers are.

-- Loan length and fine rules by format and audience; 'any' matches every value. The most specific
-- row wins (format and audience, then format, then audience, then any/any). While the table is
-- empty the built-in defaults apply (Features/Loans/LoanPolicy.cs).
create table loan_policies (
    id integer primary key,
    format text not null check (format in ('any', 'book', 'largePrint', 'comics', 'dvd', 'cd', 'audiobook')),
    audience text not null check (audience in ('any', 'adult', 'youth', 'children')),
    loan_days integer not null check (loan_days between 1 and 365),
    fine_cents_per_day integer not null check (fine_cents_per_day between 0 and 10000),
    fine_grace_days integer not null check (fine_grace_days between 0 and 365),
    fine_cap_cents integer not null check (fine_cap_cents between 0 and 1000000),
    unique (format, audience)
);

-- original_due_on: the due date before any lockdown, kept so that every shift can be recomputed
-- or rolled back. due_on: the date the patron is given, after lockdown shifts; null while an
-- open-ended lockdown holds it (it is set when the lockdown ends). Dates are the branch's local dates.
create table loans (
    id integer primary key,
    patron_id integer not null references patrons (id),
    copy_id integer not null references copies (id),
    loaned_on text not null,
    original_due_on text not null,
    due_on text,
    returned_on text,
    source text not null check (source in ('import', 'counter')),
    created_at text not null,
    updated_at text not null,
    returned_at text,
    returned_by_staff_id integer,
    check (loaned_on <= original_due_on),
    check (returned_on is null or loaned_on <= returned_on)
);

-- A copy is on loan to one patron at a time.
create unique index loans_one_open_per_copy on loans (copy_id) where returned_on is null;
create index loans_patron on loans (patron_id, returned_on);
create index loans_open_due on loans (due_on) where returned_on is null;

-- Money paid or forgiven, in cents; the balance is the derived fines minus these.
create table fine_ledger (
    id integer primary key,
    patron_id integer not null references patrons (id),
    kind text not null check (kind in ('payment', 'waiver')),
    amount_cents integer not null check (amount_cents > 0),
    note text not null default '',
    staff_id integer,
    created_at text not null
);

create index fine_ledger_patron on fine_ledger (patron_id, created_at);

-- A lockdown (DESIGN "Fines, reminders and lockdowns"): starts_on and ends_on inclusive, in the
-- branches' local dates; ends_on null while open-ended. Network-wide, or the branches listed in
-- lockdown_branches. A cancelled lockdown is kept (its history is audited) but has no effect.
create table lockdowns (
    id integer primary key,
    network_wide integer not null check (network_wide in (0, 1)),
    starts_on text not null,
    ends_on text,
    suspend_fines integer not null check (suspend_fines in (0, 1)),
    suspend_reminders integer not null check (suspend_reminders in (0, 1)),
    shift_due_dates_days integer check (shift_due_dates_days between 0 and 180),
    -- shifted due dates are spread over this many days (by patron), so returns do not all come at once
    spread_days integer not null check (spread_days between 1 and 30),
    slot_capacity_cap integer check (slot_capacity_cap between 0 and 500),
    extend_pickup_deadlines integer not null check (extend_pickup_deadlines in (0, 1)),
    note text not null default '',
    status text not null check (status in ('active', 'cancelled')),
    created_at text not null,
    created_by_staff_id integer,
    updated_at text not null,
    check (ends_on is null or starts_on <= ends_on)
);

create table lockdown_branches (
    lockdown_id integer not null references lockdowns (id),
    branch_id integer not null references branches (id),
    primary key (lockdown_id, branch_id)
);

-- The deadline a Ready hold had before a lockdown extended it (null when never extended).
alter table holds add column original_pickup_deadline text;

-- Who did what, when: lockdown changes with their effects, loan imports, payments and waivers,
-- policy changes. Never updated, never deleted; no foreign keys, so it outlives what it describes.
create table audit_log (
    id integer primary key,
    occurred_at text not null,
    staff_id integer,
    actor text not null,
    action text not null,
    entity text not null,
    entity_id integer,
    details text not null
);

create index audit_log_entity on audit_log (entity, entity_id, occurred_at);
create index audit_log_time on audit_log (occurred_at);
