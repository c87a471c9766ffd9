-- The catalogue: bibliographic records (titles) and the copies on the shelves.
-- authors are joined with ' ; ', genres with '|', as in the import file.
create extension if not exists unaccent;

-- unaccent() is only STABLE; an index needs an IMMUTABLE function with a fixed dictionary.
create function f_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

create table titles (
    id bigint generated always as identity primary key,
    record_id text not null unique,
    isbn text,
    title text not null,
    authors text not null default '',
    publisher text not null default '',
    year integer,
    language text not null,
    audience text not null check (audience in ('adult', 'youth', 'children')),
    format text not null check (format in ('book', 'largePrint', 'comics', 'dvd', 'cd', 'audiobook')),
    genres text not null default '',
    created_at timestamptz not null,
    updated_at timestamptz not null,
    -- Full-text search, case- and accent-insensitive: the 'simple' configuration (no stemming,
    -- any language) over unaccented text, weighted title > authors > genres as on SQLite.
    search tsvector generated always as (
        setweight(to_tsvector('simple', f_unaccent(title)), 'A')
        || setweight(to_tsvector('simple', f_unaccent(authors)), 'B')
        || setweight(to_tsvector('simple', f_unaccent(replace(genres, '|', ' '))), 'C')
    ) stored
);

create index titles_search on titles using gin (search);
create index titles_sort on titles (lower(title), id);

create table copies (
    id bigint generated always as identity primary key,
    title_id bigint not null references titles (id),
    barcode text not null unique,
    branch_id bigint not null references branches (id),
    shelf_location text not null default '',
    call_number text not null default '',
    status text not null check (status in ('onShelf', 'onLoan', 'held', 'inTransit', 'lost', 'withdrawn')),
    updated_at timestamptz not null
);

create index copies_title on copies (title_id, status);
create index copies_branch on copies (branch_id, status);
