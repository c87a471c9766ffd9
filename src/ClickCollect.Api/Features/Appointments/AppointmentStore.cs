using System.Data.Common;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Appointments;

internal sealed record NewAppointment(long PatronId, long PickupPointId, Slot Slot, DateOnly SlotDate, IReadOnlyList<long> HoldIds,
    HoldChannel Channel, DateTimeOffset Now);

internal sealed record AppointmentFilter(long? PatronId = null, long? PickupPointId = null, DateTimeOffset? From = null,
    DateTimeOffset? To = null, long? AppointmentId = null);

internal sealed class AppointmentStore(Db db, Notify notify, SlotPlacesCache places, SlotPlacesNotifier otherInstances)
{
    /// <summary>
    /// A hold as a booking checks it. On SQLite its row also carries the patron's checks (<see cref="SqliteChecksSql"/>: the
    /// same on every row), the documents already in the slot and whether a lockdown is in force; on PostgreSQL those are
    /// read apart and left empty here.
    /// </summary>
    sealed class HoldCheck : PatronChecks
    {
        public long Id { get; init; }
        public long PatronId { get; init; }
        public long PickupPointId { get; init; }
        public HoldStatus Status { get; init; }
        public DateOnly? PickupDeadline { get; init; }
        public long Booked { get; init; }
        public string Title { get; init; } = "";
        public long Items { get; init; }
        public bool AnyLockdown { get; init; }
    }

    // The open appointments hold h is in (1 at most, unless the data is wrong).
    const string BookedSql = $"""
        select count(*) from appointment_holds ah join appointments a on a.id = ah.appointment_id
        where ah.hold_id = h.id and a.status in {AppointmentStatuses.OpenSql}
        """;
    static string HoldsSql(SqlDialect sql) => $"""
        select h.id, h.patron_id, h.pickup_point_id, h.status, h.pickup_deadline, ({BookedSql}) as booked, t.title
        from holds h join titles t on t.id = h.title_id where {sql.InKeys("h.id", "@Ids")}
        order by t.title, h.id
        """;
    internal const string SameDaySql = $"""
        select count(*) from appointments
        where patron_id = @PatronId and status in {AppointmentStatuses.TakingPlaceSql} and slot_start >= @DayStart and slot_start < @DayEnd
        """;
    const string ItemsInSlotSql = $"""
        select count(*) from appointment_holds ah join appointments a on a.id = ah.appointment_id
        where a.pickup_point_id = @PickupPointId and a.slot_start = @SlotStart and a.status in {AppointmentStatuses.TakingPlaceSql}
        """;
    // -- Places taken per slot (slot_places, #17) -----------------------------------------------------------------
    // This store keeps slot_places equal to the count of the slot's appointments in AppointmentStatuses.TakingPlace,
    // in the transaction of each change of that count: a booking and a past appointment take a place, a move frees
    // one and takes another, a cancellation frees one. The other transitions (arrival, hand-over, no-show, the
    // retention's unlinking) move between states that all take a place and leave the count alone. The slot calendar
    // reads the row instead of counting the appointments, and a booking takes its place by this conditional upsert,
    // which is therefore the capacity check: one statement, so on PostgreSQL the row's lock makes two bookings racing
    // for the last place see each other (ON CONFLICT DO UPDATE re-checks `taken < @Capacity` on the latest row), and
    // on SQLite the single writer runs it alone. No row comes back when the slot is full.
    // Each change of these rows is also told to the slot calendar's cache (SlotPlacesCache) after the commit: to this
    // instance's (Changed), and on PostgreSQL to the other instances' (SlotPlacesNotifier, which says why not from the
    // transaction itself). The demo's past appointments (InsertPastAsync) are not told: the calendar shows no past slot.
    const string TakePlaceSql = """
        insert into slot_places (pickup_point_id, slot_start, taken)
        select @PickupPointId, @SlotStart, 1 where @Capacity > 0
        on conflict (pickup_point_id, slot_start) do update set taken = slot_places.taken + 1 where slot_places.taken < @Capacity
        returning taken
        """;
    // A place taken whatever the capacity (an appointment written as history, InsertPastAsync).
    const string CountPlaceSql = """
        insert into slot_places (pickup_point_id, slot_start, taken) values (@PickupPointId, @SlotStart, 1)
        on conflict (pickup_point_id, slot_start) do update set taken = slot_places.taken + 1
        """;
    const string FreePlaceSql = "update slot_places set taken = taken - 1 where pickup_point_id = @PickupPointId and slot_start = @SlotStart";

    /// <summary>
    /// Counts slot_places again from the appointments (what migration 0024 did for the rows already there): for a
    /// data set written straight into the appointments table (the benchmark's and the large tests' bulk loads), never
    /// on a path the app serves.
    /// </summary>
    internal const string RecountPlacesSql = $"""
        delete from slot_places;
        insert into slot_places (pickup_point_id, slot_start, taken)
        select pickup_point_id, slot_start, count(*) from appointments
        where status in {AppointmentStatuses.TakingPlaceSql}
        group by pickup_point_id, slot_start;
        """;

    const string BookSql = """
        insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, updated_at)
        values (@PatronId, @PickupPointId, @SlotStart, @SlotEnd, 'booked', @Channel, @Now, @Now)
        returning id
        """;
    // PostgreSQL: the place taken, the appointment inserted only if it was, the holds linked to it and the confirmation SMS
    // queued (when the pickup point has a branch to tell of), in one statement (one round trip, #17). This statement takes the
    // slot's lock, which every booking of the slot then holds in turn until its COMMIT: nothing else runs between them (the
    // SMS was one round trip more under the lock, 20 % of the time a popular slot was held), and the COMMIT goes with it
    // when no idempotency record follows (UnitOfWork.QuerySingleOrDefaultAndCommitAsync). SQLite runs TakePlaceSql,
    // BookSql and LinkSql one after the other, then queues the SMS.
    static string BookAndLinkSql(bool notice) => $"""
        with place as ({TakePlaceSql}),
        booked as (
            insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, updated_at)
            select @PatronId, @PickupPointId, @SlotStart, @SlotEnd, 'booked', @Channel, @Now, @Now from place
            returning id),
        linked as (insert into appointment_holds (appointment_id, hold_id) select booked.id, h.id from booked, unnest(@HoldIds) as h (id)){(notice ? $"""
        ,
        notice as ({OutboxStore.EnqueueFromSql("booked", Notify.AppointmentBookedKeySql("booked.id"))})
        """ : "")}
        select id from booked
        """;
    static readonly string BookLinkAndNotifySql = BookAndLinkSql(notice: true), BookAndLinkOnlySql = BookAndLinkSql(notice: false);

    /// <summary>The calendars (this instance's, the others'): the pickup point's places taken changed, once (and only if) the unit of work commits.</summary>
    void PlacesChanged(UnitOfWork uow, long pickupPointId) => uow.AfterCommit(() =>
    {
        places.Changed(pickupPointId);
        otherInstances.Changed(pickupPointId);
    });

    const string LinkSql = "insert into appointment_holds (appointment_id, hold_id) values (@AppointmentId, @HoldId)";

    // PostgreSQL reads this and SameDaySql by appointments_patron_slot (migration 0026): appointments_patron (patron_id, status)
    // fetched every open appointment of the patron to test its slot (PostgresPlanTests). SQLite:
    // read through the patron's appointments (appointments_patron: a few rows), not the slot's: SQLite, which has no
    // statistics, took appointments_slot_start for its three equalities and read every appointment of the slot, each row
    // fetched to test its patron, 1,539 VM steps and 100 µs for a slot of 250 (11 µs by the patron's index), in the writer's
    // turn at every booking (#17). The unary + keeps pickup_point_id out of the index choice (PostgreSQL has it for bigint).
    internal const string SameSlotSql = $"""
        select id from appointments
        where patron_id = @PatronId and +pickup_point_id = @PickupPointId and slot_start = @SlotStart and status in {AppointmentStatuses.OpenSql}
        """;

    // What a booking checks, read in one round trip under the patron's lock: the lockdowns in force (their slot caps), the
    // holds, the documents already in the slot (when it has a cap: then under the slot's lock too), the patron's
    // appointment in that slot, their appointments that day, and what the confirmation SMS will say.
    // Also what the answer shows of the patron and the pickup point: the 201 is built from what the booking
    // read rather than read back (on PostgreSQL the read-back was a connection and a round trip more, in the booking's
    // transaction, so under the slot's lock, when the request carries an Idempotency-Key, as the patron page's do).
    // PostgreSQL: the plans are the generic ones, prepared once per connection (the booking connections' plan_cache_mode,
    // Db.Create). The holds' `id = any(@Ids)` was planned again at every booking (1.3-1.45 of 3.5-3.7 ms of planning per
    // booking in make bench): the planner takes an array parameter for 10 elements when it plans generically, so for the one
    // or few holds a booking names the custom plan always looked cheaper; the generic plan reads the same index.
    static string BookChecksSql(SqlDialect sql, bool countItems) => sql.IsSqlite ? SqliteChecksSql(countItems)
        : $"{LockdownStore.ActivePeriodsSql};\n{HoldsSql(sql)};\n{(countItems ? ItemsInSlotSql + ";\n" : "")}{PatronChecksSql}";

    // SQLite: the checks in one statement, one row per hold with the patron's checks (PatronChecksSql) beside it, and
    // whether any lockdown is in force (then read in a statement more). Each statement costs the single writer its turn's
    // time: the seven statements the checks were (the lockdowns in two, the holds, the patron's appointment in the slot,
    // their appointments that day, the SMS's place, the answer's names) took 101-125 µs of CPU of a 260-340 µs turn at 64
    // connections in make bench, the writer busy 88 % of the time while a third of the two cores was idle (#17). No row
    // when no hold is the patron's (they are then all refused as unknown).
    static string SqliteChecksSql(bool countItems) => $"""
        select h.id, h.patron_id, h.pickup_point_id, h.status, h.pickup_deadline, ({BookedSql}) as booked, t.title, c.*,
               {(countItems ? $"({ItemsInSlotSql})" : "0")} as items, exists (select 1 from lockdowns where status = 'active') as any_lockdown
        from ({PatronChecksSql}) as c
        join holds h on {SqlDialect.Sqlite.InKeys("h.id", "@Ids")}
        join titles t on t.id = h.title_id
        order by t.title, h.id
        """;

    // The patron's appointment in that slot, their appointments that day, what the confirmation SMS will say and what the
    // answer shows, as one row (four statements before): each statement costs PostgreSQL its executor start and end, the app
    // its result set to read, and SQLite's writer its turn's time (#17); SQLite reads it beside each hold. No row when the patron or
    // the pickup point is unknown (the holds are then refused); no branch (has_branch false) when no SMS can tell of the place.
    const string PatronChecksSql = $"""
        select ({SameSlotSql}) as existing, ({SameDaySql}) as same_day,
               p.card_number, p.first_name || ' ' || p.last_name as patron_name, pp.name as pickup_point_name,
               b.id is not null as has_branch, b.id as branch_id, b.time_zone, p.phone, p.sms_consent,
               (select count(*) from sms_opt_outs o where o.phone = p.phone) as opted_out
        from patrons p join pickup_points pp on pp.id = @PickupPointId
        left {NotificationStore.PickupBranchJoin}
        where p.id = @PatronId
        """;

    /// <summary>What <see cref="PatronChecksSql"/> reads.</summary>
    class PatronChecks : NotificationStore.PlaceNotice
    {
        public long? Existing { get; init; }
        public long SameDay { get; init; }
        public bool HasBranch { get; init; }
        public string CardNumber { get; init; } = "";
        public string PatronName { get; init; } = "";
    }

    // Built once for each dialect and shape, not at every booking: that text (about 3 KB) was 13 % of the bytes a booking
    // allocated in make bench, and a new string is hashed and compared whole by the kept commands' cache and Dapper's at
    // every run (#17).
    static readonly string[] BookChecks =
        [BookChecksSql(SqlDialect.Sqlite, false), BookChecksSql(SqlDialect.Sqlite, true), BookChecksSql(SqlDialect.Postgres, false), BookChecksSql(SqlDialect.Postgres, true)];

    static string BookChecksFor(SqlDialect sql, bool countItems) => BookChecks[(sql.IsSqlite ? 0 : 2) + (countItems ? 1 : 0)];

    /// <summary>
    /// The appointment just booked as <see cref="GetAsync(long, CancellationToken)"/> would read it back, from what the booking
    /// read and wrote (#17: the read-back was a read connection and two statements more per booking, 6 % of its CPU in the
    /// profile of make bench on SQLite). Instants as the database gives them back (UTC; PostgreSQL keeps microseconds, and
    /// Npgsql drops the rest); holds in the order the database read them, as the read-back's: by title in the database's
    /// collation (SQLite's BINARY: ordinal), then by hold.
    /// </summary>
    static AppointmentResponse Answer(long id, NewAppointment a, PatronChecks answer, List<HoldCheck> holds, SqlDialect sql) =>
        new(id, AppointmentStatus.Booked, a.PickupPointId, answer.PickupPointName, a.Slot.Start.ToUniversalTime(), a.Slot.End.ToUniversalTime(),
            answer.CardNumber, answer.PatronName, a.Channel, sql.IsSqlite ? a.Now.ToUniversalTime() : Microseconds(a.Now), null,
            holds.Select(h => new AppointmentHold(h.Id, h.Title, h.Status)).ToList());

    static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);

    /// <summary>
    /// Books the slot for the holds, or says why not. Nothing is written unless the outcome is Booked or
    /// Joined: a patron who already has an appointment in that slot at that pickup point gets the holds
    /// added to it (issue 10: one patron, one place, however many times they book).
    /// </summary>
    /// <param name="capacity">The slot's capacity under the lockdowns in force, which the booking reads with its checks.</param>
    /// <param name="commitWithPlace">
    /// Nothing follows the booking in <paramref name="uow"/>: on PostgreSQL the statement that takes the place also commits
    /// (<see cref="UnitOfWork.QuerySingleOrDefaultAndCommitAsync"/>), and a Booked outcome comes back committed.
    /// </param>
    public async Task<BookOutcome> BookAsync(UnitOfWork uow, NewAppointment a, Func<IReadOnlyList<LockdownPeriod>, int> capacity, int maxPerDay,
        (DateTimeOffset Start, DateTimeOffset End) day, bool commitWithPlace, CancellationToken ct)
    {
        // The patron's lock, then the slot's (always in that order). The patron's is taken by the round trip that reads
        // what is checked. The slot's is held until COMMIT by every booking of that slot in turn, so it is taken as late
        // as it can be: with the statement that takes a place (slot_places), unless the slot caps its documents (then the count
        // of documents read with the checks needs it too). Under the morning rush the wait for a popular slot's lock was
        // most of a booking's time on PostgreSQL (pg_stat_statements in make bench, #17).
        uow.LockWithNextStatement(LockKeys.Patron(a.PatronId));
        var slotLockedEarly = a.Slot.MaxItems is not null;
        if (slotLockedEarly) uow.LockWithNextStatement(LockKeys.Slot(a.PickupPointId, a.Slot.Start));
        List<HoldCheck> holds;
        long items = 0;
        PatronChecks? checks;
        IReadOnlyList<LockdownPeriod> lockdowns;
        var asked = new
        {
            Ids = uow.Dialect.KeyList(a.HoldIds),
            a.PatronId,
            a.PickupPointId,
            SlotStart = a.Slot.Start,
            DayStart = day.Start,
            DayEnd = day.End,
        };
        if (uow.Dialect.IsSqlite)
        {
            holds = (await uow.QueryAsync<HoldCheck>(BookChecksFor(uow.Dialect, a.Slot.MaxItems is not null), asked, ct)).AsList();
            var row = holds.FirstOrDefault();
            (checks, items, lockdowns) = (row, row?.Items ?? 0, []);
            if (row is { AnyLockdown: true })
            {
                await using var read = await uow.QueryMultipleAsync(LockdownStore.ActivePeriodsSql, null, ct);
                lockdowns = await LockdownStore.ReadPeriodsAsync(read);
            }
        }
        else
        {
            await using var read = await uow.QueryMultipleAsync(BookChecksFor(uow.Dialect, a.Slot.MaxItems is not null), asked, ct);
            lockdowns = await LockdownStore.ReadPeriodsAsync(read);
            holds = (await read.ReadAsync<HoldCheck>()).AsList();
            if (a.Slot.MaxItems is not null) items = await read.ReadSingleAsync<long>();
            checks = await read.ReadSingleOrDefaultAsync<PatronChecks>();
        }
        var (existing, sameDay) = (checks?.Existing, checks?.SameDay ?? 0);
        NotificationStore.PlaceNotice? place = checks is { HasBranch: true } ? checks : null;
        if (HoldsRefusal(holds, a.PatronId, a.PickupPointId, a.SlotDate, a.HoldIds) is { } refused) return refused;
        if (a.Slot.MaxItems is { } maxItems && items + a.HoldIds.Count > maxItems)
            return Refuse("slot_items_full", "Créneau complet", "Ce créneau ne peut plus recevoir autant de documents.");
        if (existing is { } joined)
        {
            await LinkAsync(uow, joined, a.HoldIds, ct);
            return new BookOutcome.Joined(joined);
        }
        if (sameDay >= maxPerDay)
            return Refuse("appointment_limit", "Trop de rendez-vous ce jour-là", $"{maxPerDay} rendez-vous par jour au plus.");
        if (!slotLockedEarly) uow.LockWithNextStatement(LockKeys.Slot(a.PickupPointId, a.Slot.Start));
        var booking = new
        {
            a.PatronId,
            a.PickupPointId,
            SlotStart = a.Slot.Start,
            SlotEnd = a.Slot.End,
            a.Channel,
            a.Now,
            Capacity = capacity(lockdowns),
            HoldIds = uow.Dialect.KeyList(a.HoldIds),
        };
        // Booked on the web or by SMS: the patron is waiting for the confirmation, quiet hours or not.
        var urgent = a.Channel is HoldChannel.Web or HoldChannel.Sms;
        long? id;
        if (uow.Dialect.IsSqlite)
        {
            // Nothing written when the slot is full: the refusal may be committed with its idempotency record.
            id = await uow.QuerySingleOrDefaultAsync<long?>(TakePlaceSql, booking, ct) is null ? null
                : await uow.QuerySingleAsync<long>(BookSql, booking, ct);
            if (id is not null) await LinkAsync(uow, id.Value, a.HoldIds, ct);
            if (id is not null && place is not null)
                await notify.AppointmentBookedAsync(uow, NotificationStore.BookedNotice(place, id.Value, a.PatronId, a.Slot.Start, a.Slot.End, a.HoldIds.Count, a.Now),
                    urgent, a.Now, ct);
        }
        else
        {
            var parameters = new DynamicParameters(booking);
            if (place is not null)
                parameters.AddDynamicParams(notify.AppointmentBookedRow(
                    NotificationStore.BookedNotice(place, 0, a.PatronId, a.Slot.Start, a.Slot.End, a.HoldIds.Count, a.Now), urgent, a.Now));
            var sql = place is null ? BookAndLinkOnlySql : BookLinkAndNotifySql;
            // With its COMMIT when nothing follows (a refusal for a full slot then commits what was only read: nothing).
            id = commitWithPlace ? await uow.QuerySingleOrDefaultAndCommitAsync<long>(sql, parameters, ct)
                : await uow.QuerySingleOrDefaultAsync<long?>(sql, parameters, ct);
        }
        if (id is null) return Refuse("slot_full", "Créneau complet", "Plus de place dans ce créneau : choisissez-en un autre.");
        PlacesChanged(uow, a.PickupPointId);
        return new BookOutcome.Booked(id.Value) { Answer = checks is null ? null : Answer(id.Value, a, checks, holds, uow.Dialect) };
    }

    /// <summary>
    /// Why these holds cannot be collected by the patron at the pickup point on that date, or null when
    /// they can: the patron's, for this pickup point, allocated, not already in an appointment, not past
    /// their pickup deadline. Call it under the patron's lock.
    /// </summary>
    internal static async Task<BookOutcome?> CheckHoldsAsync(UnitOfWork uow, long patronId, long pickupPointId, DateOnly slotDate,
        IReadOnlyList<long> holdIds, CancellationToken ct) =>
        HoldsRefusal((await uow.QueryAsync<HoldCheck>(HoldsSql(uow.Dialect), new { Ids = uow.Dialect.KeyList(holdIds) }, ct)).ToList(),
            patronId, pickupPointId, slotDate, holdIds);

    static BookOutcome? HoldsRefusal(List<HoldCheck> holds, long patronId, long pickupPointId, DateOnly slotDate, IReadOnlyList<long> holdIds)
    {
        var unknown = holdIds.Where(id => !holds.Any(h => h.Id == id && h.PatronId == patronId)).ToList();
        if (unknown.Count > 0) return new BookOutcome.UnknownHolds(unknown);
        if (holds.FirstOrDefault(h => h.PickupPointId != pickupPointId) is { } elsewhere)
            return Refuse("hold_elsewhere", "Autre point de retrait", $"La réservation {elsewhere.Id} est à retirer ailleurs.");
        if (holds.FirstOrDefault(h => !HoldStatuses.Allocated.Contains(h.Status)) is { } waiting)
            return Refuse("hold_not_allocated", "Document pas encore disponible",
                $"La réservation {waiting.Id} est « {DapperSetup.ToDb(waiting.Status)} » : elle ne peut pas encore être retirée.");
        if (holds.FirstOrDefault(h => h.Booked > 0) is { } twice)
            return Refuse("hold_already_booked", "Déjà un rendez-vous", $"La réservation {twice.Id} a déjà un rendez-vous.");
        if (holds.FirstOrDefault(h => h.PickupDeadline < slotDate) is { } late)
            return Refuse("after_deadline", "Après la date limite",
                $"La réservation {late.Id} doit être retirée au plus tard le {late.PickupDeadline:dd/MM/yyyy}.");
        return null;
    }

    /// <summary>True when the slot has a document cap and <paramref name="adding"/> more would pass it. Call it under the slot's lock.</summary>
    static async Task<bool> TooManyItemsAsync(UnitOfWork uow, long pickupPointId, Slot slot, int adding, CancellationToken ct) =>
        slot.MaxItems is { } maxItems
        && await uow.QuerySingleAsync<long>(ItemsInSlotSql, new { PickupPointId = pickupPointId, SlotStart = slot.Start }, ct) + adding > maxItems;

    static async Task LinkAsync(UnitOfWork uow, long appointmentId, IReadOnlyList<long> holdIds, CancellationToken ct)
    {
        foreach (var holdId in holdIds)
            await uow.ExecuteAsync(LinkSql, new { AppointmentId = appointmentId, HoldId = holdId }, ct);
    }

    const string StatusSql = "select status from appointments where id = @Id";

    sealed class Place { public long PickupPointId { get; init; } public DateTimeOffset SlotStart { get; init; } }

    /// <summary>Adds documents to a booked or arrived appointment (<c>POST /api/appointments/{id}/holds</c>): the same checks as a booking.</summary>
    public async Task<BookOutcome> AddHoldsAsync(UnitOfWork uow, AppointmentResponse appointment, long patronId, Slot slot, DateOnly slotDate,
        IReadOnlyList<long> holdIds, CancellationToken ct)
    {
        await uow.LockAsync(LockKeys.Patron(patronId), ct);
        if (await CheckHoldsAsync(uow, patronId, appointment.PickupPointId, slotDate, holdIds, ct) is { } refused) return refused;
        await uow.LockAsync(LockKeys.Slot(appointment.PickupPointId, slot.Start), ct);
        if (await uow.QuerySingleAsync<AppointmentStatus>(StatusSql, new { appointment.Id }, ct) is not (AppointmentStatus.Booked or AppointmentStatus.Arrived) and var status)
            return Refuse("appointment_closed", "Rendez-vous terminé", $"Le rendez-vous est « {DapperSetup.ToDb(status)} ».");
        if (await TooManyItemsAsync(uow, appointment.PickupPointId, slot, holdIds.Count, ct))
            return Refuse("slot_items_full", "Créneau complet", "Ce créneau ne peut plus recevoir autant de documents.");
        await LinkAsync(uow, appointment.Id, holdIds, ct);
        return new BookOutcome.Joined(appointment.Id);
    }

    const string DeadlinesSql = $"""
        select min(h.pickup_deadline) from appointment_holds ah join holds h on h.id = ah.hold_id
        where ah.appointment_id = @Id and h.status in {HoldStatuses.AllocatedSql}
        """;
    const string SameDayOthersSql = SameDaySql + " and id <> @Id";
    // Only from the slot the place was freed in: an appointment moved or cancelled meanwhile is left alone.
    const string MoveSql = """
        update appointments set slot_start = @SlotStart, slot_end = @SlotEnd, updated_at = @Now
        where id = @Id and status = 'booked' and slot_start = @From
        """;

    /// <summary>
    /// Moves a booked appointment to another slot of its pickup point (<c>POST /api/appointments/{id}/move</c>) under the
    /// rules of a booking (capacity, document cap, appointments per day, pickup deadlines); the patron is told by SMS.
    /// </summary>
    public async Task<BookOutcome> MoveAsync(UnitOfWork uow, AppointmentResponse appointment, long patronId, Slot slot, DateOnly slotDate, int capacity,
        int maxPerDay, (DateTimeOffset Start, DateTimeOffset End) day, HoldChannel channel, DateTimeOffset now, CancellationToken ct)
    {
        await uow.LockAsync(LockKeys.Patron(patronId), ct);
        if (await uow.QuerySingleAsync<AppointmentStatus>(StatusSql, new { appointment.Id }, ct) is not AppointmentStatus.Booked and var status)
            return Refuse("appointment_closed", "Rendez-vous terminé", $"Le rendez-vous est « {DapperSetup.ToDb(status)} » : il ne peut plus être déplacé.");
        if (await uow.QuerySingleOrDefaultAsync<DateOnly?>(DeadlinesSql, new { appointment.Id }, ct) is { } deadline && deadline < slotDate)
            return Refuse("after_deadline", "Après la date limite", $"Les documents doivent être retirés au plus tard le {deadline:dd/MM/yyyy}.");
        if (await uow.QuerySingleOrDefaultAsync<long?>(SameSlotSql, new { PatronId = patronId, appointment.PickupPointId, SlotStart = slot.Start }, ct) is not null)
            return Refuse("appointment_exists", "Déjà un rendez-vous à cette heure",
                "Le lecteur a déjà un rendez-vous sur ce créneau : ajoutez-y les documents, puis annulez celui-ci.");
        if (await uow.QuerySingleAsync<long>(SameDayOthersSql, new { PatronId = patronId, DayStart = day.Start, DayEnd = day.End, appointment.Id }, ct) >= maxPerDay)
            return Refuse("appointment_limit", "Trop de rendez-vous ce jour-là", $"{maxPerDay} rendez-vous par jour au plus.");
        await uow.LockAsync(LockKeys.Slot(appointment.PickupPointId, slot.Start), ct);
        if (await TooManyItemsAsync(uow, appointment.PickupPointId, slot, appointment.Holds.Count, ct))
            return Refuse("slot_items_full", "Créneau complet", "Ce créneau ne peut plus recevoir autant de documents.");
        // The place taken in the new slot (if one is left: the capacity check, as a booking's) and freed in the old one,
        // the earlier slot's row first: two moves crossing between the same slots lock the rows in the same order.
        var to = new { appointment.PickupPointId, SlotStart = slot.Start, Capacity = capacity };
        var from = new { appointment.PickupPointId, appointment.SlotStart };
        if (from.SlotStart < to.SlotStart) await uow.ExecuteAsync(FreePlaceSql, from, ct);
        if (await uow.QuerySingleOrDefaultAsync<int?>(TakePlaceSql, to, ct) is null)
            return Refuse("slot_full", "Créneau complet", "Plus de place dans ce créneau : choisissez-en un autre."); // rolled back, freed place included
        if (from.SlotStart > to.SlotStart) await uow.ExecuteAsync(FreePlaceSql, from, ct);
        var move = new { appointment.Id, SlotStart = slot.Start, SlotEnd = slot.End, From = appointment.SlotStart, Now = now };
        var moved = await uow.ExecuteAsync(MoveSql, move, ct);
        if (moved == 0)
            return Refuse("appointment_closed", "Rendez-vous modifié", "Le rendez-vous vient d'être déplacé ou annulé."); // rolled back with the places
        PlacesChanged(uow, appointment.PickupPointId);
        await notify.AppointmentMovedAsync(uow, appointment.Id, urgent: channel is HoldChannel.Web, now, ct);
        return new BookOutcome.Booked(appointment.Id);
    }

    internal static BookOutcome.Refused Refuse(string code, string title, string detail) => new(code, title, detail);

    const string SelectSql = """
        select a.id, a.patron_id, p.card_number, p.first_name || ' ' || p.last_name as patron_name, a.pickup_point_id,
               pp.name as pickup_point_name, a.slot_start, a.slot_end, a.status, a.channel, a.created_at, a.arrived_at
        from appointments a
        join patrons p on p.id = a.patron_id
        join pickup_points pp on pp.id = a.pickup_point_id
        """;

    // Only the filters given, so each list reads through an index (#17); by id it is a read by key.
    static string ListSql(AppointmentFilter f) => $"""
        {SelectSql}
        {new SqlWhere()
            .And(f.AppointmentId is not null, "a.id = @AppointmentId")
            .And(f.PatronId is not null, "a.patron_id = @PatronId")
            .And(f.PickupPointId is not null, "a.pickup_point_id = @PickupPointId")
            .And(f.From is not null, "a.slot_start >= @From")
            .And(f.To is not null, "a.slot_start < @To")}
        order by a.slot_start, a.id
        limit 500
        """;
    static string ListHoldsSql(SqlDialect sql) => $"""
        select ah.appointment_id, h.id as hold_id, t.title, h.status
        from appointment_holds ah join holds h on h.id = ah.hold_id join titles t on t.id = h.title_id
        where {sql.InKeys("ah.appointment_id", "@Ids")}
        order by t.title, h.id
        """;

    public async Task<IReadOnlyList<AppointmentResponse>> ListAsync(AppointmentFilter f, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await ListAsync(c, null, db.Dialect, f, ct);
    }

    static async Task<IReadOnlyList<AppointmentResponse>> ListAsync(DbConnection c, DbTransaction? tx, SqlDialect sql, AppointmentFilter f, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<AppointmentRow>(new CommandDefinition(ListSql(f), f, tx, cancellationToken: ct))).AsList();
        if (rows.Count == 0) return [];
        var holds = await c.QueryAsync<AppointmentHoldRow>(new CommandDefinition(ListHoldsSql(sql), new { Ids = sql.KeyList(rows.Select(r => r.Id).ToList()) }, tx, cancellationToken: ct));
        return Responses(rows, holds);
    }

    static List<AppointmentResponse> Responses(List<AppointmentRow> rows, IEnumerable<AppointmentHoldRow> holdRows)
    {
        var holds = holdRows.ToLookup(h => h.AppointmentId);
        return rows.Select(r => new AppointmentResponse(r.Id, r.Status, r.PickupPointId, r.PickupPointName, r.SlotStart, r.SlotEnd,
            r.CardNumber, r.PatronName, r.Channel, r.CreatedAt, r.ArrivedAt,
            holds[r.Id].Select(h => new AppointmentHold(h.HoldId, h.Title, h.Status)).ToList())).ToList();
    }

    // One appointment and its holds in one round trip (#17: every booking, arrival and cancellation reads one back).
    static readonly string GetSql = $"""
        {ListSql(new AppointmentFilter(AppointmentId: 0))};
        select ah.appointment_id, h.id as hold_id, t.title, h.status
        from appointment_holds ah join holds h on h.id = ah.hold_id join titles t on t.id = h.title_id
        where ah.appointment_id = @AppointmentId
        order by t.title, h.id
        """;

    static async Task<AppointmentResponse?> GetAsync(SqlMapper.GridReader read)
    {
        var rows = (await read.ReadAsync<AppointmentRow>()).AsList();
        return Responses(rows, await read.ReadAsync<AppointmentHoldRow>()).SingleOrDefault();
    }

    public async Task<AppointmentResponse?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var read = await c.QueryMultipleAsync(new CommandDefinition(GetSql, new { AppointmentId = id }, cancellationToken: ct));
        return await GetAsync(read);
    }

    /// <summary>The appointment as the unit of work sees it (its own changes included, before they are committed).</summary>
    public static async Task<AppointmentResponse?> GetAsync(UnitOfWork uow, long id, CancellationToken ct)
    {
        await using var read = await uow.QueryMultipleAsync(GetSql, new { AppointmentId = id }, ct);
        return await GetAsync(read);
    }

    const string ArriveSql = """
        update appointments set status = 'arrived', arrived_at = @Now, updated_at = @Now
        where id = @Id and status = 'booked' and slot_start <= @Opens and slot_end > @Closes
        """;
    const string CancelSql = $"""
        update appointments set status = 'cancelled', closed_at = @Now, updated_at = @Now where id = @Id and status in {AppointmentStatuses.OpenSql}
        returning pickup_point_id, slot_start
        """;
    // PostgreSQL: the cancellation and the place it frees in one statement; the pickup point comes back, no row if nothing
    // was cancelled. SQLite runs CancelSql, then FreePlaceSql.
    static readonly string CancelAndFreeSql = $"""
        with cancelled as ({CancelSql}),
        freed as (update slot_places s set taken = s.taken - 1 from cancelled c where s.pickup_point_id = c.pickup_point_id and s.slot_start = c.slot_start)
        select pickup_point_id from cancelled
        """;
    const string NoShowSql = $"""
        update appointments set status = 'noShow', closed_at = @Now, updated_at = @Now where status in {AppointmentStatuses.OpenSql} and slot_end < @Cutoff
        """;

    /// <summary>"I'm here": only for a booked appointment, from <paramref name="opensBefore"/> before the slot to <paramref name="grace"/> after it.</summary>
    public Task<int> ArriveAsync(UnitOfWork uow, long id, DateTimeOffset now, TimeSpan opensBefore, TimeSpan grace, CancellationToken ct) =>
        uow.ExecuteAsync(ArriveSql, new { Id = id, Now = now, Opens = now + opensBefore, Closes = now - grace }, ct);

    /// <summary>
    /// Cancelling frees the place (only booked and arrived appointments count against capacity); the
    /// patron's SMS is queued in the same unit of work (see <see cref="CancelledBy"/>).
    /// </summary>
    public async Task<int> CancelAsync(UnitOfWork uow, long id, DateTimeOffset now, CancelledBy by, CancellationToken ct)
    {
        var args = new { Id = id, Now = now };
        long? pickupPointId;
        if (uow.Dialect.IsSqlite)
        {
            // Open statuses all take a place: the one cancelled is freed.
            var place = await uow.QuerySingleOrDefaultAsync<Place>(CancelSql, args, ct);
            if (place is not null) await uow.ExecuteAsync(FreePlaceSql, place, ct);
            pickupPointId = place?.PickupPointId;
        }
        else pickupPointId = await uow.QuerySingleOrDefaultAsync<long?>(CancelAndFreeSql, args, ct);
        if (pickupPointId is not { } point) return 0;
        PlacesChanged(uow, point);
        await notify.AppointmentCancelledAsync(uow, id, by, now, ct);
        return 1;
    }

    const string DetachHoldSql = $"""
        delete from appointment_holds where hold_id = @HoldId
          and appointment_id in (select id from appointments where status in {AppointmentStatuses.OpenSql})
        returning appointment_id
        """;
    const string EmptySql = "select count(*) from appointment_holds where appointment_id = @Id";

    /// <summary>
    /// A hold that closed (cancelled, expired) leaves the open appointment that was to hand it over; an
    /// appointment left with nothing to collect is cancelled as any other (<see cref="CancelAsync"/>: the
    /// place freed, the patron's SMS queued, the reminder dropped). Called by the Holds feature.
    /// </summary>
    public async Task ReleaseHoldAsync(UnitOfWork uow, long holdId, CancelledBy by, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var id in await uow.QueryAsync<long>(DetachHoldSql, new { HoldId = holdId }, ct))
            if (await uow.QuerySingleAsync<long>(EmptySql, new { Id = id }, ct) == 0)
                await CancelAsync(uow, id, now, by, ct);
    }

    const string CompleteSql = $"""
        update appointments set status = 'completed', closed_at = @Now, updated_at = @Now where id = @Id and status in {AppointmentStatuses.OpenSql}
        """;

    /// <summary>The bag was handed over. False unless the appointment was booked or arrived.</summary>
    public async Task<bool> CompleteAsync(UnitOfWork uow, long id, DateTimeOffset now, CancellationToken ct) =>
        await uow.ExecuteAsync(CompleteSql, new { Id = id, Now = now }, ct) == 1;

    const string ClaimHandOverSql = $"""
        update appointments set handover_until = @Until
        where id = @Id and status in {AppointmentStatuses.OpenSql} and (handover_until is null or handover_until < @Now)
        """;
    const string ReleaseHandOverSql = "update appointments set handover_until = null where id = @Id and handover_until = @Until";

    /// <summary>
    /// Claims an open appointment's hand-over until <paramref name="until"/> (whole seconds: the release
    /// compares it, and PostgreSQL keeps microseconds only). False when it is closed or another hand-over holds it.
    /// </summary>
    public Task<bool> ClaimHandOverAsync(long id, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        db.WriteAsync(async uow => await uow.ExecuteAsync(ClaimHandOverSql, new { Id = id, Now = now, Until = until }, ct) == 1, ct);

    /// <summary>Gives the claim back (the hand-over ended without completing the appointment), unless it ran out and another took it.</summary>
    public Task ReleaseHandOverAsync(long id, DateTimeOffset until, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(ReleaseHandOverSql, new { Id = id, Until = until }, ct), ct);

    /// <summary>Appointments not completed by the end of their slot plus grace become no-shows (kept and counted).</summary>
    public Task<int> MarkNoShowsAsync(DateTimeOffset now, TimeSpan grace, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(NoShowSql, new { Now = now, Cutoff = now - grace }, ct), ct);

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    static string UnlinkFinishedSql(long? patronId) => $"""
        update appointments set patron_id = @Anonymous
        where patron_id <> @Anonymous {(patronId is null ? "" : "and patron_id = @PatronId")}
          and status in {AppointmentStatuses.ClosedSql} and coalesce(closed_at, slot_end) < @Before
        """;

    /// <summary>Closed appointments ended before <paramref name="before"/> (of one patron, or of everybody) pass to the anonymous patron.</summary>
    public static Task<int> UnlinkFinishedAsync(UnitOfWork uow, long anonymous, DateTimeOffset before, long? patronId, CancellationToken ct) =>
        uow.ExecuteAsync(UnlinkFinishedSql(patronId), new { Anonymous = anonymous, Before = before, PatronId = patronId }, ct);

    // -- Past activity (Features/Demo writes four weeks of history into an empty database) --------------------------

    /// <summary>An appointment that ended in the past, with its one hold (the demo's history; no rule runs on it).</summary>
    internal sealed record PastAppointment(long PatronId, long PickupPointId, DateTimeOffset SlotStart, DateTimeOffset SlotEnd, string Status,
        string Channel, DateTimeOffset Placed, DateTimeOffset? Arrived, DateTimeOffset Closed, long HoldId);

    const string PastSql = """
        insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, arrived_at, closed_at, updated_at)
        values (@PatronId, @PickupPointId, @SlotStart, @SlotEnd, @Status, @Channel, @Placed, @Arrived, @Closed, @Closed)
        returning id
        """;

    public static async Task<long> InsertPastAsync(UnitOfWork uow, PastAppointment appointment, CancellationToken ct)
    {
        var id = await uow.QuerySingleAsync<long>(PastSql, appointment, ct);
        if (AppointmentStatuses.TakingPlace.Any(s => DapperSetup.ToDb(s) == appointment.Status))
            await uow.ExecuteAsync(CountPlaceSql, new { appointment.PickupPointId, appointment.SlotStart }, ct);
        await LinkAsync(uow, id, [appointment.HoldId], ct);
        return id;
    }
}
