-- Staff (password) and patrons (card number + PIN). Five failed sign-ins in a row lock the
-- account until locked_until.
create table staff (
    id bigint generated always as identity primary key,
    username text not null,
    display_name text not null,
    role text not null check (role in ('counter', 'librarian', 'director')),
    branch_id bigint references branches (id),
    password_hash text not null,
    failed_sign_ins integer not null default 0,
    locked_until timestamptz,
    active boolean not null default true
);

create unique index staff_username on staff (lower(username));

create table patrons (
    id bigint generated always as identity primary key,
    card_number text not null,
    pin_hash text not null,
    first_name text not null,
    last_name text not null,
    phone text,
    email text,
    sms_consent boolean not null default false,
    home_branch_id bigint references branches (id),
    blocked_reason text,
    failed_sign_ins integer not null default 0,
    locked_until timestamptz,
    created_at timestamptz not null
);

create unique index patrons_card_number on patrons (upper(card_number));
