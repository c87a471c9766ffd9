-- What several app instances must share (#18 item 1), so nothing lives in one instance's memory or folder.

-- The ASP.NET Core data-protection key ring (an IXmlRepository, one XML element per row): a bearer token
-- or page cookie issued by one instance is read by every other one on this database.
create table data_protection_keys (
    friendly_name text primary key,
    xml text not null,
    created_at text not null
);

-- Failed sign-ins per client address, whatever the account (#14): the sliding window of SignInThrottle,
-- counted across instances so a balancer does not give a guesser one window per instance.
create table sign_in_failures (
    address text not null,
    failed_at text not null
);
create index sign_in_failures_address on sign_in_failures (address, failed_at);
create index sign_in_failures_at on sign_in_failures (failed_at);
