-- A patron's appointments by slot (#17): a booking checks whether the patron already has an appointment in that slot
-- and how many they have that day (AppointmentStore.SameSlotSql and SameDaySql), which appointments_patron
-- (patron_id, status) answered by reading every open appointment of the patron, each row fetched to test its slot.
-- make bench, SQLite, booking at 64 connections, back to back: 3,926 bookings/s (0.68x the bare insert) against 3,641
-- (0.62x), CPU 0.29 ms a booking against 0.32.
create index appointments_patron_slot on appointments (patron_id, slot_start);
