-- Reservations: opening templates and closures per pickup point, holds, appointments, and the
-- idempotency keys that make a retried POST answer the same thing twice.

-- Per pickup point: earliest bookable slot (lead time), how far ahead (horizon), how many open
-- days a Ready hold waits, and the slot length and capacity used for bibliobus stop windows.
alter table pickup_points add column lead_time_minutes integer not null default 120;
alter table pickup_points add column horizon_days integer not null default 14;
alter table pickup_points add column pickup_open_days integer not null default 5;
alter table pickup_points add column stop_slot_minutes integer not null default 30;
alter table pickup_points add column stop_slot_capacity integer not null default 4;

-- Opening windows of a counter, in the branch's local wall-clock time.
create table slot_templates (
    id bigint generated always as identity primary key,
    pickup_point_id bigint not null references pickup_points (id),
    weekday integer not null check (weekday between 1 and 7),
    starts_at time not null,
    ends_at time not null,
    slot_minutes integer not null check (slot_minutes between 5 and 240),
    capacity integer not null check (capacity between 1 and 500),
    max_items integer check (max_items is null or max_items > 0),
    check (starts_at < ends_at)
);

create index slot_templates_point on slot_templates (pickup_point_id, weekday);

-- Closed dates, both ends inclusive, in the branch's local dates.
create table closures (
    id bigint generated always as identity primary key,
    pickup_point_id bigint not null references pickup_points (id),
    starts_on date not null,
    ends_on date not null,
    reason text not null default '',
    check (starts_on <= ends_on)
);

create index closures_point on closures (pickup_point_id, starts_on);

create table holds (
    id bigint generated always as identity primary key,
    patron_id bigint not null references patrons (id),
    title_id bigint not null references titles (id),
    requested_copy_id bigint references copies (id),
    copy_id bigint references copies (id),
    pickup_point_id bigint not null references pickup_points (id),
    status text not null check (status in ('queued', 'toPick', 'inTransit', 'ready', 'collected', 'expired', 'cancelled')),
    channel text not null check (channel in ('web', 'phone', 'sms', 'selection')),
    placed_by_staff_id bigint references staff (id),
    created_at timestamptz not null,
    allocated_at timestamptz,
    ready_at timestamptz,
    pickup_deadline date,
    closed_at timestamptz,
    updated_at timestamptz not null
);

-- DESIGN: a copy is allocated to at most one active hold, ever, under any concurrency.
create unique index holds_one_active_per_copy on holds (copy_id) where status in ('toPick', 'inTransit', 'ready');
create index holds_queue on holds (title_id, status, created_at, id);
create index holds_patron on holds (patron_id, status);
create index holds_point on holds (pickup_point_id, status);

create table appointments (
    id bigint generated always as identity primary key,
    patron_id bigint not null references patrons (id),
    pickup_point_id bigint not null references pickup_points (id),
    slot_start timestamptz not null,
    slot_end timestamptz not null,
    status text not null check (status in ('booked', 'arrived', 'completed', 'noShow', 'cancelled')),
    channel text not null check (channel in ('web', 'phone', 'sms', 'selection')),
    created_at timestamptz not null,
    arrived_at timestamptz,
    closed_at timestamptz,
    updated_at timestamptz not null
);

create index appointments_slot on appointments (pickup_point_id, slot_start, status);
create index appointments_patron on appointments (patron_id, status);

create table appointment_holds (
    appointment_id bigint not null references appointments (id),
    hold_id bigint not null references holds (id),
    primary key (appointment_id, hold_id)
);

create index appointment_holds_hold on appointment_holds (hold_id);

create table idempotency_keys (
    scope text not null,
    key text not null,
    request_hash text not null,
    status_code integer,
    response_body text,
    location text,
    created_at timestamptz not null,
    primary key (scope, key)
);

-- The branch whose stock serves a pickup point: a counter's branch, or a bibliobus's home branch.
create view pickup_point_branches as
select p.id as pickup_point_id, coalesce(c.branch_id, v.home_branch_id) as branch_id
from pickup_points p
left join counters c on c.id = p.counter_id
left join stops s on s.id = p.stop_id
left join routes r on r.id = s.route_id
left join bibliobuses v on v.id = r.bibliobus_id;
