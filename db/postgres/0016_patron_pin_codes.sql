-- Issue 12, item 5: a patron without a PIN (imported from the library system) or who forgot it sets
-- one with a one-time code the library hands out. Only the code's hash is kept, with its expiry;
-- setting the PIN clears both, so a code works once.
alter table patrons add column pin_code_hash text;
alter table patrons add column pin_code_expires_at timestamptz;
