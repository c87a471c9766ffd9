-- Several instances share the ILS outbox (issue 13): a transaction is claimed for a lease before it is
-- sent (claimed_by: the instance; claimed_until: when another may take it over, after a crash), so it
-- is sent once, and only the oldest unsent transaction of a copy can be claimed, so the library system
-- still sees each copy's checkout and checkin in order.
alter table ils_outbox add column claimed_by text;
alter table ils_outbox add column claimed_until timestamptz;
