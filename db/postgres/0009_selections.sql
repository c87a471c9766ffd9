-- Surprise selections (DESIGN "Surprise selections", issue #7): a reader states tastes, a librarian
-- claims the request, gets a proposed bundle, adjusts it and confirms it into holds. Requests are
-- never deleted: they end confirmed or cancelled. Lists of words are JSON arrays of strings.
create table selection_requests (
    id bigint generated always as identity primary key,
    patron_id bigint not null references patrons (id),
    pickup_point_id bigint not null references pickup_points (id),
    item_count integer not null check (item_count between 1 and 10),
    audience text check (audience in ('adult', 'youth', 'children')),
    formats text not null default '[]',
    languages text not null default '[]',
    genres text not null default '[]',
    liked_authors text not null default '[]',
    liked_titles text not null default '[]',
    avoid text not null default '[]',
    notes text not null default '',
    use_history boolean not null default false,
    -- Recurrence: every N weeks, M occurrences in all; each occurrence is a request of its own,
    -- opened when due, pointing at the first one.
    repeat_every_weeks integer check (repeat_every_weeks between 1 and 12),
    repeat_times integer check (repeat_times between 2 and 12),
    occurrence integer not null default 1,
    first_request_id bigint references selection_requests (id),
    opens_at timestamptz not null,
    status text not null check (status in ('open', 'claimed', 'proposed', 'confirmed', 'cancelled')),
    channel text not null check (channel in ('web', 'phone')),
    placed_by_staff_id bigint references staff (id),
    -- A claim lets one librarian work the request; it lapses at claimed_until (then anyone may take it).
    claimed_by_staff_id bigint references staff (id),
    claimed_until timestamptz,
    proposal_seed integer,
    proposal_summary text,
    librarian_note text not null default '',
    created_at timestamptz not null,
    updated_at timestamptz not null,
    confirmed_at timestamptz,
    confirmed_by_staff_id bigint references staff (id),
    cancelled_at timestamptz,
    check ((repeat_every_weeks is null) = (repeat_times is null))
);

create index selection_requests_queue on selection_requests (pickup_point_id, status, opens_at, id);
create index selection_requests_patron on selection_requests (patron_id, created_at);
create index selection_requests_series on selection_requests (first_request_id);

-- The proposed bundle of a request being worked. A copy is in at most one bundle at a time: the
-- soft reservation that keeps two open requests from both getting the only copy. Rows go when the
-- request is confirmed or cancelled, or when its claim lapses.
create table selection_items (
    request_id bigint not null references selection_requests (id),
    copy_id bigint not null references copies (id),
    title_id bigint not null references titles (id),
    position integer not null,
    pinned boolean not null default false,
    score double precision not null,
    explanation text not null,
    primary key (request_id, copy_id)
);

create unique index selection_items_one_bundle_per_copy on selection_items (copy_id);

-- Titles a request showed (a new proposal prefers others) or the librarian removed (never again).
create table selection_title_marks (
    request_id bigint not null references selection_requests (id),
    title_id bigint not null references titles (id),
    mark text not null check (mark in ('shown', 'removed')),
    primary key (request_id, title_id)
);

-- The holds a confirmed request became.
create table selection_holds (
    request_id bigint not null references selection_requests (id),
    hold_id bigint not null unique references holds (id),
    primary key (request_id, hold_id)
);
