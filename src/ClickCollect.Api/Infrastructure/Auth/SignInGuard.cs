using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>
/// Every sign-in goes through here, whoever judges the secret (a hash kept here, or the library
/// system over SIP2): the lockout and the throttling are in one place (#14).
/// <list type="bullet">
/// <item>An attempt is <em>claimed</em> before the secret is checked, in one conditional write that
///   counts it and, from the <see cref="FreeAttempts"/>th on, sets a delay before the next one. While
///   the delay runs no claim succeeds, so 40 parallel wrong PINs check at most 5 and the right PIN is
///   refused like the others. A success resets the count.</item>
/// <item>The delay grows (30 s, 1, 2, 4, 8 min, then 15 min per attempt) instead of a hard lock that
///   anyone could impose on the director for 15 minutes with five tries; a director can lift it.</item>
/// <item>A locked account answers exactly as an unknown one (same problem, same hash cost).</item>
/// <item>Failures per client address are counted across accounts (<see cref="SignInThrottle"/>), so
///   guessing one PIN on many cards from one address is throttled.</item>
/// </list>
/// </summary>
internal sealed class SignInGuard(Db db, PasswordHashing hashing, TimeProvider clock, SignInThrottle throttle, IHttpContextAccessor http)
{
    /// <summary>Attempts in a row before the delays start.</summary>
    public const int FreeAttempts = 5;

    /// <summary>The delay after the <see cref="FreeAttempts"/>th failed attempt in a row; it doubles with each one after it, up to <see cref="MaxDelay"/>.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    internal enum Accounts { Staff, Patrons }

    /// <summary>The columns every account table has for signing in.</summary>
    internal sealed class Credentials
    {
        public long Id { get; init; }
        public string Hash { get; init; } = "";
        public DateTimeOffset? LockedUntil { get; init; }
    }

    internal abstract record Outcome
    {
        public sealed record Accepted : Outcome;
        public sealed record Rejected : Outcome;
        /// <summary>Too many attempts in a row on this account: not checked. Endpoints answer it as <see cref="Rejected"/>.</summary>
        public sealed record Locked(DateTimeOffset Until) : Outcome;
        /// <summary>Too many failures from this client address, whatever the account: 429.</summary>
        public sealed record Throttled(TimeSpan RetryAfter) : Outcome;
    }

    // The claim: counted and, past the free attempts, delayed, in one statement that only succeeds when
    // no delay is running. Table names come from the closed Accounts enum, never from input.
    static string ClaimSql(string table) => $"""
        update {table}
        set failed_sign_ins = failed_sign_ins + 1,
            locked_until = case
                when failed_sign_ins + 1 < @FreeAttempts then null
                when failed_sign_ins + 1 = @FreeAttempts then @Delay0
                when failed_sign_ins + 1 = @FreeAttempts + 1 then @Delay1
                when failed_sign_ins + 1 = @FreeAttempts + 2 then @Delay2
                when failed_sign_ins + 1 = @FreeAttempts + 3 then @Delay3
                when failed_sign_ins + 1 = @FreeAttempts + 4 then @Delay4
                else @DelayMax end
        where id = @Id and (locked_until is null or locked_until <= @Now)
        returning failed_sign_ins
        """;

    static string SucceedSql(string table) => $"update {table} set failed_sign_ins = 0, locked_until = null where id = @Id";

    // The judge could not be asked (library system down): the attempt is given back.
    static string ReleaseSql(string table) => $"""
        update {table}
        set failed_sign_ins = case when failed_sign_ins > 0 then failed_sign_ins - 1 else 0 end,
            locked_until = case when failed_sign_ins - 1 < @FreeAttempts then null else locked_until end
        where id = @Id
        """;

    /// <summary>Checks <paramref name="secret"/> against the hash kept in the account row.</summary>
    public async Task<Outcome> CheckAsync(Accounts accounts, Credentials? account, string secret, CancellationToken ct) =>
        await CheckAsync(accounts, account, account is null ? null : _ => Task.FromResult(hashing.Verify(account.Hash, secret)), secret, ct);

    /// <summary>
    /// The same lockout around a check made elsewhere (the library system's PIN check, #13):
    /// <paramref name="verify"/> runs only when the attempt was claimed; its exceptions pass through and
    /// give the attempt back.
    /// </summary>
    public Task<Outcome> CheckAsync(Accounts accounts, Credentials? account, Func<CancellationToken, Task<bool>> verify, CancellationToken ct) =>
        CheckAsync(accounts, account, verify, "", ct);

    /// <summary>
    /// The per-address throttle alone, for a judge that must be asked before an account row exists
    /// (a card the library system knows but ClickCollect has not seen yet): null when not throttled.
    /// </summary>
    public async Task<Outcome.Throttled?> ThrottledAsync(CancellationToken ct) =>
        await throttle.BlockedAsync(SignInThrottle.AddressOf(http.HttpContext), ct) is { } retryAfter ? new Outcome.Throttled(retryAfter) : null;

    /// <summary>Counts a failure against the client address when no account row was involved (an unknown card).</summary>
    public Task CountFailureAsync(CancellationToken ct) => throttle.FailedAsync(SignInThrottle.AddressOf(http.HttpContext), ct);

    async Task<Outcome> CheckAsync(Accounts accounts, Credentials? account, Func<CancellationToken, Task<bool>>? verify, string secret, CancellationToken ct)
    {
        var address = SignInThrottle.AddressOf(http.HttpContext);
        if (await throttle.BlockedAsync(address, ct) is { } retryAfter) return new Outcome.Throttled(retryAfter);
        var now = clock.GetUtcNow();
        if (account is null || verify is null)
        {
            hashing.Verify(DummyHash, secret); // same cost as a real check: no timing hint that the account exists
            await throttle.FailedAsync(address, ct);
            return new Outcome.Rejected();
        }

        var table = accounts == Accounts.Staff ? "staff" : "patrons";
        var claimed = await db.WriteAsync(uow => uow.QuerySingleOrDefaultAsync<int?>(ClaimSql(table), new
        {
            account.Id, Now = now, FreeAttempts,
            Delay0 = now + Delay(0), Delay1 = now + Delay(1), Delay2 = now + Delay(2), Delay3 = now + Delay(3), Delay4 = now + Delay(4),
            DelayMax = now + MaxDelay,
        }, ct), ct);
        if (claimed is null)
        {
            hashing.Verify(DummyHash, secret); // a locked account costs what an unknown one does
            await throttle.FailedAsync(address, ct);
            return new Outcome.Locked(account.LockedUntil ?? now);
        }

        bool valid;
        try
        {
            valid = await verify(ct);
        }
        catch
        {
            await db.WriteAsync(uow => uow.ExecuteAsync(ReleaseSql(table), new { account.Id, FreeAttempts }, CancellationToken.None), CancellationToken.None);
            throw;
        }
        if (valid)
        {
            await db.WriteAsync(uow => uow.ExecuteAsync(SucceedSql(table), new { account.Id }, ct), ct);
            return new Outcome.Accepted();
        }
        await throttle.FailedAsync(address, ct);
        return new Outcome.Rejected();
    }

    /// <summary>The delay set by the (<see cref="FreeAttempts"/> + <paramref name="beyond"/>)th attempt in a row.</summary>
    public static TimeSpan Delay(int beyond)
    {
        var delay = FirstDelay * Math.Pow(2, Math.Min(beyond, 20));
        return delay < MaxDelay ? delay : MaxDelay;
    }

    static string UnlockSql(string table) => $"update {table} set failed_sign_ins = 0, locked_until = null where id = @Id";

    /// <summary>Lifts the delay on an account (a director for a staff member). False when there is no such account.</summary>
    public async Task<bool> UnlockAsync(Accounts accounts, long id, CancellationToken ct) =>
        await db.WriteAsync(uow => uow.ExecuteAsync(UnlockSql(accounts == Accounts.Staff ? "staff" : "patrons"), new { Id = id }, ct), ct) > 0;

    static readonly string DummyHash = new PasswordHashing().Hash("not a real secret");
}
