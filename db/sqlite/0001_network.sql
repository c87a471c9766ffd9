-- The library network: branches, their counters, bibliobuses with routes and stops, and the
-- pickup points patrons choose (a counter or a bibliobus stop).
create table branches (
    id integer primary key,
    code text not null unique,
    name text not null,
    time_zone text not null default 'Europe/Paris',
    address text not null default '',
    phone text not null default ''
);

create table counters (
    id integer primary key,
    branch_id integer not null references branches (id),
    name text not null
);

create table bibliobuses (
    id integer primary key,
    home_branch_id integer not null references branches (id),
    name text not null
);

create table routes (
    id integer primary key,
    bibliobus_id integer not null references bibliobuses (id),
    name text not null
);

create table stops (
    id integer primary key,
    route_id integer not null references routes (id),
    name text not null,
    address text not null default '',
    position integer not null,
    unique (route_id, position)
);

-- weekday: ISO 8601, 1 = Monday … 7 = Sunday; times are the branch's local wall-clock times.
create table stop_schedules (
    id integer primary key,
    stop_id integer not null references stops (id) on delete cascade,
    weekday integer not null check (weekday between 1 and 7),
    arrives_at text not null,
    departs_at text not null,
    check (arrives_at < departs_at)
);

-- A date on which the stop is not served (cancelled) or served at other times (changed).
create table stop_exceptions (
    id integer primary key,
    stop_id integer not null references stops (id) on delete cascade,
    on_date text not null,
    kind text not null check (kind in ('cancelled', 'changed')),
    arrives_at text,
    departs_at text,
    note text not null default '',
    unique (stop_id, on_date),
    check (kind = 'cancelled' or (arrives_at is not null and departs_at is not null and arrives_at < departs_at))
);

create table pickup_points (
    id integer primary key,
    kind text not null check (kind in ('counter', 'bibliobusStop')),
    counter_id integer unique references counters (id),
    stop_id integer unique references stops (id),
    name text not null,
    active integer not null default 1,
    check ((kind = 'counter' and counter_id is not null and stop_id is null)
        or (kind = 'bibliobusStop' and stop_id is not null and counter_id is null))
);
