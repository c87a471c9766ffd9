-- A patron's appointments by slot (#17): a booking checks whether the patron already has an appointment in that slot
-- and how many they have that day (AppointmentStore.SameSlotSql and SameDaySql), which appointments_patron
-- (patron_id, status) answered by reading every open appointment of the patron, each row fetched to test its slot.
-- make bench (patrons with up to 108 open appointments), booking at 64 connections, back to back: that statement 0.034 ms
-- a booking against 0.118, server CPU 0.58 ms a booking against 0.67, 1,946 bookings/s against 1,803.
create index appointments_patron_slot on appointments (patron_id, slot_start);
