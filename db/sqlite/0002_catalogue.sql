-- The catalogue: bibliographic records (titles) and the copies on the shelves.
-- authors are joined with ' ; ', genres with '|', as in the import file.
create table titles (
    id integer primary key,
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
    created_at text not null,
    updated_at text not null
);

-- Listing without search words sorts by lower(title), id on both engines.
create index titles_sort on titles (lower(title), id);

create table copies (
    id integer primary key,
    title_id integer not null references titles (id),
    barcode text not null unique,
    branch_id integer not null references branches (id),
    shelf_location text not null default '',
    call_number text not null default '',
    status text not null check (status in ('onShelf', 'onLoan', 'held', 'inTransit', 'lost', 'withdrawn')),
    updated_at text not null
);

create index copies_title on copies (title_id, status);
create index copies_branch on copies (branch_id, status);

-- Full-text search, case- and accent-insensitive (unicode61 folds case and removes diacritics),
-- kept in step with titles by triggers.
create virtual table titles_fts using fts5 (
    title, authors, genres,
    content = 'titles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

create trigger titles_fts_insert after insert on titles begin
    insert into titles_fts (rowid, title, authors, genres) values (new.id, new.title, new.authors, replace(new.genres, '|', ' '));
end;

create trigger titles_fts_delete after delete on titles begin
    insert into titles_fts (titles_fts, rowid, title, authors, genres)
    values ('delete', old.id, old.title, old.authors, replace(old.genres, '|', ' '));
end;

create trigger titles_fts_update after update of title, authors, genres on titles begin
    insert into titles_fts (titles_fts, rowid, title, authors, genres)
    values ('delete', old.id, old.title, old.authors, replace(old.genres, '|', ' '));
    insert into titles_fts (rowid, title, authors, genres) values (new.id, new.title, new.authors, replace(new.genres, '|', ' '));
end;
