-- Staff (password) and patrons (card number + PIN). Five failed sign-ins in a row lock the
-- account until locked_until.
create table staff (
    id integer primary key,
    username text not null unique collate nocase,
    display_name text not null,
    role text not null check (role in ('counter', 'librarian', 'director')),
    branch_id integer references branches (id),
    password_hash text not null,
    failed_sign_ins integer not null default 0,
    locked_until text,
    active integer not null default 1
);

create table patrons (
    id integer primary key,
    card_number text not null unique collate nocase,
    pin_hash text not null,
    first_name text not null,
    last_name text not null,
    phone text,
    email text,
    sms_consent integer not null default 0,
    home_branch_id integer references branches (id),
    blocked_reason text,
    failed_sign_ins integer not null default 0,
    locked_until text,
    created_at text not null
);
