using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>State kept between two inbound SMS: the "ANNULER" waiting for its "OUI".</summary>
internal sealed class InboxStore
{
    const string PatronPhoneSql = "select count(*) from patrons where phone = @Phone";

    public async Task<bool> IsPatronPhoneAsync(UnitOfWork uow, string phone, CancellationToken ct) =>
        await uow.QuerySingleAsync<long>(PatronPhoneSql, new { Phone = phone }, ct) > 0;

    const string AskSql = """
        insert into sms_confirmations (phone, action, appointment_id, expires_at, created_at)
        values (@Phone, 'cancelAppointment', @AppointmentId, @ExpiresAt, @Now)
        on conflict (phone) do update set action = excluded.action, appointment_id = excluded.appointment_id,
            expires_at = excluded.expires_at, created_at = excluded.created_at
        """;

    /// <summary>The number's next "OUI" cancels this appointment, until <paramref name="expiresAt"/>; replaces an earlier question.</summary>
    public Task<int> AskConfirmationAsync(UnitOfWork uow, string phone, long appointmentId, DateTimeOffset expiresAt, DateTimeOffset now,
        CancellationToken ct) =>
        uow.ExecuteAsync(AskSql, new { Phone = phone, AppointmentId = appointmentId, ExpiresAt = expiresAt, Now = now }, ct);

    sealed class Pending { public long AppointmentId { get; init; } public DateTimeOffset ExpiresAt { get; init; } }

    const string TakeSql = "delete from sms_confirmations where phone = @Phone and action = 'cancelAppointment' returning appointment_id, expires_at";

    /// <summary>The appointment the number was asked about, if the question has not expired; the question is used up either way.</summary>
    public async Task<long?> TakeConfirmationAsync(UnitOfWork uow, string phone, DateTimeOffset now, CancellationToken ct) =>
        await uow.QuerySingleOrDefaultAsync<Pending>(TakeSql, new { Phone = phone }, ct) is { } pending && pending.ExpiresAt > now
            ? pending.AppointmentId
            : null;

    const string ForgetSql = "delete from sms_confirmations where phone = @Phone";

    public static Task<int> ForgetConfirmationAsync(UnitOfWork uow, string phone, CancellationToken ct) => uow.ExecuteAsync(ForgetSql, new { Phone = phone }, ct);

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    const string ForgetOlderSql = "delete from sms_confirmations where created_at < @Before";

    /// <summary>Inbound confirmations received before <paramref name="before"/> are deleted.</summary>
    public static Task<int> ForgetOlderAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetOlderSql, new { Before = before }, ct);
}
