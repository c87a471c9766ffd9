-- Issue 11 item 4: the director's figures group a year of activity in the database. These indexes hold
-- every column those queries read, so a year of 100,000 appointments and holds is read from the index
-- alone, never row by row from the table: holds by creation time with their pickup point and channel;
-- appointments by slot start with their pickup point, status and the hand-over times (the index it
-- replaces had the first two columns only).
drop index holds_created;
create index holds_created on holds (created_at, pickup_point_id, channel);
drop index appointments_slot_start;
create index appointments_slot_start on appointments (slot_start, pickup_point_id, status, arrived_at, closed_at);
