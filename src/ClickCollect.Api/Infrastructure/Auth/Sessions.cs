using System.Security.Claims;
using System.Security.Cryptography;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>
/// Server-side sign-in sessions (#14 item 5). A bearer token or page cookie is a signed ticket that
/// would otherwise stay valid until it expires, whatever happens: on a shared library PC, signing out
/// only deleted the cookie in that browser, and a director had no way to end a dismissed staff
/// member's access. Each sign-in now starts a row in <c>sessions</c>; its id rides in the ticket
/// (claim <see cref="ClaimType"/>), and a ticket is honoured only while its row is neither ended nor
/// expired (<see cref="CheckAsync"/>: one primary-key read per authenticated request; on SQLite, per session until it
/// ends, see <see cref="active"/>).
/// </summary>
internal sealed class SessionStore(Db db, TimeProvider clock)
{
    public const string ClaimType = "sid";

    static string KindOf(string role) => Roles.IsStaffRole(role) ? "staff" : "patron";

    const string StartSql = """
        insert into sessions (id, account_kind, account_id, created_at, expires_at) values (@Id, @Kind, @AccountId, @Now, @ExpiresAt)
        """;

    // Rows of sessions that ended or expired more than a day ago serve nobody; each sign-in clears them.
    const string PurgeSql = "delete from sessions where expires_at < @Before";

    /// <summary>Starts a session for <paramref name="user"/> until <paramref name="expiresAt"/>; returns its id.</summary>
    public async Task<string> StartAsync(CurrentUser user, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var id = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var now = clock.GetUtcNow();
        await db.WriteAsync(async uow =>
        {
            await uow.ExecuteAsync(PurgeSql, new { Before = now - TimeSpan.FromDays(1) }, ct);
            return await uow.ExecuteAsync(StartSql, new { Id = id, Kind = KindOf(user.Role), AccountId = user.Id, Now = now, ExpiresAt = expiresAt }, ct);
        }, ct);
        return id;
    }

    const string ActiveSql = "select account_kind, account_id, expires_at from sessions where id = @Id and ended_at is null and expires_at > @Now";

    public async Task<bool> IsActiveAsync(string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (active is not null && active.TryGet(id, out var known) && known.ExpiresAt > now) return true;
        var seen = Volatile.Read(ref changes);
        ActiveSession? row;
        await using (var c = await db.OpenAsync(ct))
            row = await c.QuerySingleOrDefaultAsync<ActiveSession>(new CommandDefinition(ActiveSql, new { Id = id, Now = now }, cancellationToken: ct));
        if (row is null || active is null) return row is not null;
        lock (gate)
            if (changes == seen) active.Remember(id, row); // not if a session ended since the read began: it may be this one
        return true;
    }

    /// <summary>
    /// SQLite: the sessions known to be running, each until its expiry (#17: the check was a read connection and a statement
    /// on every authenticated request). SQLite is served by one instance, whose writes to <c>sessions</c> all go through this
    /// store, so ending a session here forgets it (<see cref="Forget"/>, once the end is committed) and nothing else can end
    /// one. A session is remembered only if no session ended while it was read (<see cref="changes"/>), so a read that began
    /// before a sign-out cannot put back the session it ended. Null on PostgreSQL: another instance may end a session.
    /// </summary>
    /// <remarks>Read without a lock; changed under <see cref="gate"/>.</remarks>
    readonly BoundedMemory<ActiveSession>? active = db.Dialect.IsSqlite ? new(Capacity) : null;
    readonly Lock gate = new();
    long changes;

    /// <summary>Sessions remembered at most (a session read again after the memory was emptied costs one read).</summary>
    public const int Capacity = 10_000;

    internal sealed class ActiveSession
    {
        public string AccountKind { get; init; } = "";
        public long AccountId { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
    }

    /// <summary>Sessions remembered as running now (for tests).</summary>
    internal int Remembered => active?.Count ?? 0;

    /// <summary>Forgets session <paramref name="id"/>, or with a null id every session of the account.</summary>
    void Forget(string? id, string? kind = null, long accountId = 0)
    {
        if (active is null) return;
        lock (gate)
        {
            changes++;
            if (id is not null) active.Forget(id);
            else active.ForgetWhere(session => session.AccountKind == kind && session.AccountId == accountId);
        }
    }

    const string EndSql = "update sessions set ended_at = @Now where id = @Id and ended_at is null";

    /// <summary>Ends one session (sign-out): its token and its cookie stop working at once.</summary>
    public async Task<int> EndAsync(string id, CancellationToken ct)
    {
        var ended = await db.WriteAsync(uow => uow.ExecuteAsync(EndSql, new { Id = id, Now = clock.GetUtcNow() }, ct), ct);
        Forget(id);
        return ended;
    }

    const string EndAllSql = """
        update sessions set ended_at = @Now
        where account_kind = @Kind and account_id = @AccountId and ended_at is null and expires_at > @Now
          and id <> coalesce(@Except, '')
        """;

    /// <summary>
    /// Ends every session of an account (a director for a staff member), but <paramref name="except"/>
    /// (the caller's own, when they act on their own account); returns how many were running.
    /// </summary>
    public Task<int> EndAllAsync(UnitOfWork uow, string role, long accountId, string? except, CancellationToken ct)
    {
        var kind = KindOf(role);
        uow.AfterCommit(() => Forget(null, kind, accountId));
        return uow.ExecuteAsync(EndAllSql, new { Kind = kind, AccountId = accountId, Except = except, Now = clock.GetUtcNow() }, ct);
    }

    public static string? IdOf(ClaimsPrincipal principal) => principal.FindFirstValue(ClaimType);

    /// <summary>
    /// After authentication: a ticket whose session ended (or that names none) is treated as no ticket
    /// at all, so the request goes on anonymous and protected routes answer 401. A dead page cookie is
    /// deleted from the browser too.
    /// </summary>
    public static async Task CheckAsync(HttpContext http, Func<Task> next)
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            var id = IdOf(http.User);
            var sessions = http.RequestServices.GetRequiredService<SessionStore>();
            if (id is null || !await sessions.IsActiveAsync(id, http.RequestAborted))
            {
                var byCookie = http.User.Identity.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme;
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
                if (byCookie) await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            }
        }
        await next();
    }
}
