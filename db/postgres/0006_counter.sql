-- The counter: the order in which staff walk a branch's shelves, and every printing of a pick or
-- load list (who, when, which lines) so the screen can show what was added since.
create table shelf_locations (
    branch_id bigint not null references branches (id),
    name text not null,
    walk_order integer not null,
    primary key (branch_id, name)
);

create table pick_list_prints (
    id bigint generated always as identity primary key,
    kind text not null check (kind in ('pick', 'load')),
    place_id bigint not null,
    list_date date not null,
    staff_id bigint not null references staff (id),
    printed_at timestamptz not null,
    format text not null check (format in ('pdf', 'csv', 'screen')),
    public_variant boolean not null,
    hold_ids text not null
);

create index pick_list_prints_place on pick_list_prints (kind, place_id, list_date, printed_at);
