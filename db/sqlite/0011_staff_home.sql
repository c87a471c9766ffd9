-- The pickup point a staff member usually works at (issue 11: staff accounts; issue 10: the counter
-- screen opens on it). Null: none in particular.
alter table staff add column home_pickup_point_id integer references pickup_points (id);
