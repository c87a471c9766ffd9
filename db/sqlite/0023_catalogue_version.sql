-- The catalogue's version (#17): one row, bumped by every catalogue import in its own transaction (titles are
-- written nowhere else). Cached search rankings (SearchCache) are keyed by it, so every app instance sharing
-- this database stops using a ranking as soon as an import made on any of them commits.
create table catalogue_version (
    id integer primary key check (id = 1),
    version integer not null
);
insert into catalogue_version (id, version) values (1, 0);
