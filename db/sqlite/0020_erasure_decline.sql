-- Issue 16: staff may decline a patron's erasure request (for instance a document still out) with a
-- reason the patron reads on "Mon compte". A new request clears the previous answer.
--   erasure_declined_at     when staff declined the last request
--   erasure_decline_reason  the reason staff gave (shown to the patron; free text, in PRIVACY.md)
alter table patrons add column erasure_declined_at text;
alter table patrons add column erasure_decline_reason text;
