-- Queries that grew with their tables (#17): each now reads an index (QueryPlanTests checks them).
-- Patrons by card, whatever its case: patrons_card_number (0003) already serves upper(card_number) here.
-- Ready holds past their pickup deadline (the expiry job): only the ready ones, by deadline.
create index holds_ready_deadline on holds (pickup_deadline) where status = 'ready';
-- Open appointments whose slot has ended (the no-show job): only the open ones, by end.
create index appointments_open_end on appointments (slot_end) where status in ('booked', 'arrived');
-- A title's copies on the shelf at one branch (search near a pickup point, allocation): with the branch
-- in the index, SQLite no longer prefers copies_branch and reads every copy on a branch's shelves per title.
create index copies_title_branch on copies (title_id, status, branch_id);
drop index copies_title;
