-- A hand-over in progress (#18): with the library system (Ils:Provider=sip2) the copies are checked out there
-- before the local write, outside the transaction (no database lock held across a network call). A hand-over
-- first claims its appointment until this instant (one conditional update); a second click, on this instance
-- or another, finds the claim and is told so instead of checking the copies out a second time (which the
-- library system may count as a renewal). Cleared when the hand-over ends without completing the appointment;
-- after a crash it simply runs out.
alter table appointments add column handover_until text;
