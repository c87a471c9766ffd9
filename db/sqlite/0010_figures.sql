-- Figures (issue 11): what the director's figures need that the other tables do not keep.
-- Every figure is a count over rows whose patron link may be gone (anonymised after the retention
-- period), so none of these rows names a patron.

-- A copy reported missing from the shelf while picking (the copy is marked lost and the hold
-- re-allocated; this row keeps the event, dated, for the "not found on the shelf" figure).
create table not_found_reports (
    id integer primary key,
    hold_id integer not null,
    copy_id integer not null,
    pickup_point_id integer not null references pickup_points (id),
    staff_id integer,
    reported_at text not null
);

create index not_found_reports_time on not_found_reports (reported_at, pickup_point_id);

-- SMS segments the provider bills for this message (GSM-7: 160 characters alone, 153 a segment
-- when split; UCS-2, as soon as one character is outside GSM-7: 70 and 67).
alter table sms_outbox add column segments integer not null default 1;

-- Figures read a date range across the whole network.
create index appointments_slot_start on appointments (slot_start, pickup_point_id);
create index holds_created on holds (created_at, pickup_point_id);
create index sms_outbox_created on sms_outbox (created_at);
