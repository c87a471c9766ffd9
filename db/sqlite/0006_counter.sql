-- The counter: the order in which staff walk a branch's shelves, and every printing of a pick or
-- load list (who, when, which lines) so the screen can show what was added since.
create table shelf_locations (
    branch_id integer not null references branches (id),
    name text not null,
    walk_order integer not null,
    primary key (branch_id, name)
);

create table pick_list_prints (
    id integer primary key,
    kind text not null check (kind in ('pick', 'load')),
    place_id integer not null,
    list_date text not null,
    staff_id integer not null references staff (id),
    printed_at text not null,
    format text not null check (format in ('pdf', 'csv', 'screen')),
    public_variant integer not null,
    hold_ids text not null
);

create index pick_list_prints_place on pick_list_prints (kind, place_id, list_date, printed_at);
