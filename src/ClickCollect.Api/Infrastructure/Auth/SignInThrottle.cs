using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Dapper;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>
/// Failed sign-ins per client address, whatever the account (#14): trying one PIN on many cards is
/// throttled even though no single card reaches its own limit. A sliding window of
/// <see cref="Window"/> kept in <c>sign_in_failures</c>, so every instance behind a balancer counts the
/// same failures (#18 item 1): an attacker does not get one window per instance.
/// </summary>
/// <remarks>
/// The check and the count are two statements, not one claim: parallel guesses from one address may
/// pass the limit by the few that were in flight together, which the per-account lockout
/// (<see cref="SignInGuard"/>) already bounds.
/// </remarks>
internal sealed class SignInThrottle(Db db, TimeProvider clock, IOptions<RateLimitOptions> options)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public static string AddressOf(HttpContext? http) => http?.Connection.RemoteIpAddress?.ToString() ?? "local";

    sealed class WindowRow
    {
        public long Failures { get; init; }
        public DateTimeOffset? Oldest { get; init; }
    }

    const string WindowSql = """
        select count(*) as failures, min(failed_at) as oldest from sign_in_failures where address = @Address and failed_at > @Since
        """;

    /// <summary>How long to wait when <paramref name="address"/> has used up its failures, else null.</summary>
    public async Task<TimeSpan?> BlockedAsync(string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleAsync<WindowRow>(new CommandDefinition(WindowSql, new { Address = address, Since = now - Window }, cancellationToken: ct));
        if (row.Failures < Math.Max(1, options.Value.SignInFailuresPerAddress)) return null;
        // The oldest failure leaves the window first, and with it one attempt comes back.
        var wait = (row.Oldest ?? now) + Window - now;
        return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
    }

    const string FailedSql = "insert into sign_in_failures (address, failed_at) values (@Address, @Now)";

    // Rows older than the window count for nobody; each failure clears them (indexed on failed_at).
    const string PurgeSql = "delete from sign_in_failures where failed_at <= @Since";

    public Task FailedAsync(string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.WriteAsync(async uow =>
        {
            await uow.ExecuteAsync(PurgeSql, new { Since = now - Window }, ct);
            return await uow.ExecuteAsync(FailedSql, new { Address = address, Now = now }, ct);
        }, ct);
    }
}
