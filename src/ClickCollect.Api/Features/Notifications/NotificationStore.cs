using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>A hold as a message tells of it: title, pickup point, deadline, the branch whose zone applies.</summary>
internal sealed class HoldNotice
{
    public long Id { get; init; }
    public long PatronId { get; init; }
    public HoldStatus Status { get; init; }
    public string Title { get; init; } = "";
    public string PickupPointName { get; init; } = "";
    public DateOnly? PickupDeadline { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public long BranchId { get; init; }
    public string TimeZone { get; init; } = "";
}

/// <summary>An appointment as a message tells of it.</summary>
internal sealed class AppointmentNotice
{
    public long Id { get; init; }
    public long PatronId { get; init; }
    public AppointmentStatus Status { get; init; }
    public DateTimeOffset SlotStart { get; init; }
    public DateTimeOffset SlotEnd { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string PickupPointName { get; init; } = "";
    public long Items { get; init; }
    public long BranchId { get; init; }
    public string TimeZone { get; init; } = "";
    /// <summary>The patron as an SMS reaches them, about this appointment's branch (read with one appointment, not with lists).</summary>
    public SmsRecipient? Recipient { get; init; }
}

/// <summary>What messages say about holds and appointments, and which of them are due a reminder.</summary>
internal sealed class NotificationStore(Db db)
{
    const string HoldSelect = """
        select h.id, h.patron_id, h.status, t.title, pp.name as pickup_point_name, h.pickup_deadline, h.ready_at,
               pb.branch_id, b.time_zone
        from holds h
        join titles t on t.id = h.title_id
        join pickup_points pp on pp.id = h.pickup_point_id
        join pickup_point_branches pb on pb.pickup_point_id = h.pickup_point_id
        join branches b on b.id = pb.branch_id
        """;
    const string HoldSql = HoldSelect + "\nwhere h.id = @Id";

    public Task<HoldNotice?> HoldAsync(UnitOfWork uow, long id, CancellationToken ct) => uow.QuerySingleOrDefaultAsync<HoldNotice>(HoldSql, new { Id = id }, ct);

    const string AppointmentSelect = """
        select a.id, a.patron_id, a.status, a.slot_start, a.slot_end, a.created_at, pp.name as pickup_point_name,
               (select count(*) from appointment_holds ah where ah.appointment_id = a.id) as items, pb.branch_id, b.time_zone
        from appointments a
        join pickup_points pp on pp.id = a.pickup_point_id
        join pickup_point_branches pb on pb.pickup_point_id = a.pickup_point_id
        join branches b on b.id = pb.branch_id
        """;
    // The pickup point's (alias pp) branch (alias b), found by key rather than through the pickup_point_branches view, whose
    // joins cost more to plan (1.66 ms) than the notices' statements take to run (#17).
    internal const string PickupBranchJoin = """
        join branches b on b.id = coalesce(
            (select c.branch_id from counters c where c.id = pp.counter_id),
            (select v.home_branch_id from stops s join routes r on r.id = s.route_id join bibliobuses v on v.id = r.bibliobus_id
             where s.id = pp.stop_id))
        """;

    // One appointment with the patron as the SMS reaches them, in one round trip (#17: every cancellation and move reads it).
    const string AppointmentSql = $"""
        select a.id, a.patron_id, a.status, a.slot_start, a.slot_end, a.created_at, pp.name as pickup_point_name,
               (select count(*) from appointment_holds ah where ah.appointment_id = a.id) as items, b.id as branch_id, b.time_zone,
               p.phone, p.sms_consent, (select count(*) from sms_opt_outs o where o.phone = p.phone) as opted_out
        from appointments a
        join patrons p on p.id = a.patron_id
        join pickup_points pp on pp.id = a.pickup_point_id
        {PickupBranchJoin}
        where a.id = @Id
        """;

    /// <summary>What the confirmation of a booking says beyond the booking itself, read with the booking's checks (AppointmentStore, #17).</summary>
    internal class PlaceNotice
    {
        public string PickupPointName { get; init; } = "";
        public long BranchId { get; init; }
        public string TimeZone { get; init; } = "";
        public string? Phone { get; init; }
        public bool SmsConsent { get; init; }
        public long OptedOut { get; init; }

        /// <summary>The notice of appointment <paramref name="id"/> at this place.</summary>
        public AppointmentNotice Notice(long id, long patronId, AppointmentStatus status, DateTimeOffset slotStart, DateTimeOffset slotEnd,
            DateTimeOffset createdAt, long items) => new()
            {
                Id = id,
                PatronId = patronId,
                Status = status,
                SlotStart = slotStart,
                SlotEnd = slotEnd,
                CreatedAt = createdAt,
                PickupPointName = PickupPointName,
                Items = items,
                BranchId = BranchId,
                TimeZone = TimeZone,
                Recipient = new SmsRecipient { Phone = Phone, SmsConsent = SmsConsent, OptedOut = OptedOut, BranchId = BranchId, TimeZone = TimeZone },
            };
    }

    /// <summary>The notice of an appointment just booked, from what the booking's checks read before it was.</summary>
    internal static AppointmentNotice BookedNotice(PlaceNotice place, long id, long patronId, DateTimeOffset slotStart, DateTimeOffset slotEnd,
        int items, DateTimeOffset now) => place.Notice(id, patronId, AppointmentStatus.Booked, slotStart, slotEnd, now, items);

    /// <summary>An appointment and its place as <see cref="AppointmentSql"/> reads them.</summary>
    sealed class AppointmentRow : PlaceNotice
    {
        public long Id { get; init; }
        public long PatronId { get; init; }
        public AppointmentStatus Status { get; init; }
        public DateTimeOffset SlotStart { get; init; }
        public DateTimeOffset SlotEnd { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public long Items { get; init; }
    }

    /// <summary>One appointment as a message tells of it, with its <see cref="AppointmentNotice.Recipient"/>.</summary>
    public async Task<AppointmentNotice?> AppointmentAsync(UnitOfWork uow, long id, CancellationToken ct) =>
        await uow.QuerySingleOrDefaultAsync<AppointmentRow>(AppointmentSql, new { Id = id }, ct) is not { } a ? null
            : a.Notice(a.Id, a.PatronId, a.Status, a.SlotStart, a.SlotEnd, a.CreatedAt, a.Items);

    const string ForPhoneSql = AppointmentSelect + $"""

        where a.patron_id in (select id from patrons where phone = @Phone) and a.status in {AppointmentStatuses.OpenSql}
          and a.slot_end > @From and a.slot_start < @To
        order by a.slot_start, a.id
        """;

    /// <summary>Booked or arrived appointments of the patrons with this phone (a family may share one) overlapping [from, to).</summary>
    public async Task<IReadOnlyList<AppointmentNotice>> AppointmentsForPhoneAsync(UnitOfWork uow, string phone, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct) =>
        (await uow.QueryAsync<AppointmentNotice>(ForPhoneSql, new { Phone = phone, From = from, To = to }, ct)).AsList();

    const string UpcomingSql = AppointmentSelect + """

        where a.status = 'booked' and a.slot_start >= @From and a.slot_start < @To
        order by a.slot_start, a.id
        """;

    /// <summary>Booked appointments starting in [from, to): candidates for the day-before reminder.</summary>
    public async Task<IReadOnlyList<AppointmentNotice>> UpcomingAppointmentsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<AppointmentNotice>(new CommandDefinition(UpcomingSql, new { From = from, To = to }, cancellationToken: ct))).AsList();
    }

    // Holds with an appointment to collect them are left out: the appointment reminder speaks for them.
    const string ExpiringSql = HoldSelect + $"""

        where h.status = 'ready' and h.pickup_deadline >= @FromDate and h.pickup_deadline <= @ToDate
          and not exists (select 1 from appointment_holds ah join appointments a on a.id = ah.appointment_id
                          where ah.hold_id = h.id and a.status in {AppointmentStatuses.OpenSql})
        order by h.id
        """;

    /// <summary>Ready holds, not booked for collection, whose deadline falls between the two dates.</summary>
    public async Task<IReadOnlyList<HoldNotice>> ReadyHoldsDueAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<HoldNotice>(new CommandDefinition(ExpiringSql, new { FromDate = from, ToDate = to }, cancellationToken: ct))).AsList();
    }

    static string QueuedKeysSql(SqlDialect sql) => $"select dedupe_key from sms_outbox where {sql.InKeys("dedupe_key", "@Keys")}";

    /// <summary>Which of these dedupe keys are already in the outbox.</summary>
    public async Task<IReadOnlySet<string>> QueuedKeysAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return new HashSet<string>();
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition(QueuedKeysSql(db.Dialect), new { Keys = db.Dialect.KeyList(keys) }, cancellationToken: ct))).ToHashSet();
    }
}
