-- The weekdays a branch is closed every week (issue 11), as ISO weekday numbers separated by commas
-- ("1" = closed on Mondays, "1,7" = Mondays and Sundays; empty = open every day its counters have windows).
-- Its counters offer no slot on those days; bibliobus stops follow their own visits.
alter table branches add column closed_weekdays text not null default '';
