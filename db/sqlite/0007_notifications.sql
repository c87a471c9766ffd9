-- Notifications (issue 6): what the SMS dispatcher, the status callback and inbound SMS need on
-- top of the outbox of 0005.
--   branch_id        whose time zone formats the message and bounds quiet hours (else the patron's home branch)
--   provider_status  Twilio's own status word (queued, sent, delivered, undelivered, failed…)
--   last_attempt_at  when the current or last hand-over to Twilio started
--   doubt_since      set when an attempt ended without a definite answer (timeout, dropped connection,
--                    killed worker): before sending again, the dispatcher asks Twilio whether it has it
alter table sms_outbox add column branch_id integer references branches (id);
alter table sms_outbox add column provider_status text;
alter table sms_outbox add column last_attempt_at text;
alter table sms_outbox add column doubt_since text;

create index sms_outbox_provider_sid on sms_outbox (provider_sid);
create index sms_outbox_kind on sms_outbox (kind, created_at);

-- Numbers that answered STOP (or that Twilio reports unsubscribed, error 21610): no SMS until START.
-- Kept per number, not per patron: a family may share one phone.
create table sms_opt_outs (
    phone text primary key,
    source text not null check (source in ('sms', 'provider')),
    opted_out_at text not null
);

-- "ANNULER" asks for a confirmation; "OUI" within the expiry cancels the appointment named in the question.
create table sms_confirmations (
    phone text primary key,
    action text not null check (action in ('cancelAppointment')),
    appointment_id integer not null references appointments (id),
    expires_at text not null,
    created_at text not null
);
