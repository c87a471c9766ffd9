using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>
/// Checks a secret against an account row and keeps the lockout count: five failures in a row lock
/// the account for 15 minutes; a success resets the count. Staff passwords and patron PINs share it.
/// </summary>
internal sealed class SignInGuard(Db db, PasswordHashing hashing, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

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
        public sealed record Locked(DateTimeOffset Until) : Outcome;
    }

    // The count and the lock are computed in one statement, so parallel wrong guesses cannot slip
    // past the limit. Table names come from the closed Accounts enum, never from input.
    static string FailSql(string table) => $"""
        update {table}
        set failed_sign_ins = failed_sign_ins + 1,
            locked_until = case when failed_sign_ins + 1 >= @MaxFailures then @LockUntil else locked_until end
        where id = @Id
        returning locked_until
        """;

    static string SucceedSql(string table) => $"update {table} set failed_sign_ins = 0, locked_until = null where id = @Id";

    public async Task<Outcome> CheckAsync(Accounts accounts, Credentials? account, string secret, CancellationToken ct)
    {
        if (account is null)
        {
            hashing.Verify(DummyHash, secret); // same cost as a real check: no timing hint that the account exists
            return new Outcome.Rejected();
        }
        return await CheckAsync(accounts, account, _ => Task.FromResult(hashing.Verify(account.Hash, secret)), ct);
    }

    /// <summary>
    /// The same lockout around a check made elsewhere (the library system's PIN check, issue #13):
    /// <paramref name="verify"/> runs only when the account is not locked; its exceptions pass
    /// through without counting a failure.
    /// </summary>
    public async Task<Outcome> CheckAsync(Accounts accounts, Credentials? account, Func<CancellationToken, Task<bool>> verify, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (account is null) return new Outcome.Rejected();
        if (account.LockedUntil > now) return new Outcome.Locked(account.LockedUntil.Value);

        var table = accounts == Accounts.Staff ? "staff" : "patrons";
        if (await verify(ct))
        {
            await db.WriteAsync(uow => uow.ExecuteAsync(SucceedSql(table), new { account.Id }, ct), ct);
            return new Outcome.Accepted();
        }
        var lockedUntil = await db.WriteAsync(uow => uow.QuerySingleOrDefaultAsync<DateTimeOffset?>(
            FailSql(table), new { account.Id, MaxFailures, LockUntil = now + LockDuration }, ct), ct);
        return lockedUntil > now ? new Outcome.Locked(lockedUntil.Value) : new Outcome.Rejected();
    }

    static readonly string DummyHash = new PasswordHashing().Hash("not a real secret");
}
