using ClickCollect.Api.Infrastructure.Caching;
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
/// expired (<see cref="CheckAsync"/>: one primary-key read per session until it ends, see <see cref="active"/>).
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
        var usable = MemoryUsable;
        if (usable && active.TryGet(id, out var known) && known.ExpiresAt > now) return true;
        var seen = Volatile.Read(ref changes);
        ActiveSession? row;
        await using (var c = await db.OpenAsync(ct))
            row = await c.QuerySingleOrDefaultAsync<ActiveSession>(new CommandDefinition(ActiveSql, new { Id = id, Now = now }, cancellationToken: ct));
        if (row is null || !usable) return row is not null;
        lock (gate)
            if (changes == seen) active.Remember(id, row); // not if a session ended since the read began: it may be this one
        return true;
    }

    /// <summary>
    /// The sessions known to be running, each until its expiry (#17: the check was a read connection and a statement on every
    /// authenticated request; on PostgreSQL 1.01 statements per booking in make bench, a round trip on a connection of the
    /// app's pool besides the booking's own: remembered, back to back at 64 connections, 1,788 bookings/s against 1,581, app
    /// CPU 0.41 ms a booking against 0.47, server 0.64 against 0.68, 8.2 statements against 9.2). Ending a session here forgets it (<see cref="Forget"/>, once the end is committed).
    /// SQLite is served by one instance, whose writes to <c>sessions</c> all go through this store, so nothing else can end one.
    /// PostgreSQL runs several instances: each statement that ends sessions sends their ids on <see cref="SessionsListener.Channel"/>
    /// with its commit, and every instance's listener forgets them (<see cref="EndedElsewhere"/>) as soon as PostgreSQL delivers
    /// them; the memory is used only while that listener is known to listen (<see cref="MemoryUsable"/>). A session is
    /// remembered only if no session ended while it was read (<see cref="changes"/>), so a read that began before a sign-out
    /// cannot put back the session it ended.
    /// </summary>
    /// <remarks>Read without a lock; changed under <see cref="gate"/>.</remarks>
    readonly BoundedMemory<ActiveSession> active = new(Capacity);
    readonly Lock gate = new();
    long changes;

    /// <summary>
    /// PostgreSQL: the listener's last proof that it listens (<see cref="Environment.TickCount64"/>, not the app's clock: it
    /// is about the connection), or 0 while it does not.
    /// </summary>
    long listenerAlive;

    /// <summary>
    /// PostgreSQL: how old the listener's last proof may be for the memory to be used (<see cref="SessionsListener.Heartbeat"/>
    /// is 1 s): a connection that died silently stops proving it, and an end it did not hear is honoured within this delay.
    /// </summary>
    internal static readonly TimeSpan ListenerStale = TimeSpan.FromSeconds(3);

    bool MemoryUsable => db.Dialect.IsSqlite
        || Volatile.Read(ref listenerAlive) is not 0 and var alive && Environment.TickCount64 - alive < (long)ListenerStale.TotalMilliseconds;

    /// <summary>The listener listens from now on: what was remembered before may have missed an end, so it is forgotten.</summary>
    internal void Listening()
    {
        lock (gate)
        {
            changes++;
            active.Clear();
        }
        StillListening();
    }

    internal void StillListening() => Volatile.Write(ref listenerAlive, Environment.TickCount64);

    internal void NotListening() => Volatile.Write(ref listenerAlive, 0);

    /// <summary>A session was ended, here or by another instance: heard by <see cref="SessionsListener"/>.</summary>
    internal void EndedElsewhere(string id)
    {
        Forget(id);
        StillListening();
    }

    /// <summary>Whether the memory is in use now (for tests: on PostgreSQL once the listener listens).</summary>
    internal bool Remembering => MemoryUsable;

    /// <summary>Sessions remembered at most (a session read again after the memory was emptied costs one read).</summary>
    public const int Capacity = 10_000;

    internal sealed class ActiveSession
    {
        public string AccountKind { get; init; } = "";
        public long AccountId { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
    }

    /// <summary>Sessions remembered as running now (for tests).</summary>
    internal int Remembered => active.Count;

    /// <summary>Forgets session <paramref name="id"/>, or with a null id every session of the account.</summary>
    void Forget(string? id, string? kind = null, long accountId = 0)
    {
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
        var ended = await db.WriteAsync(uow => EndAsync(uow, EndSql, EndAndTellSql, new { Id = id, Now = clock.GetUtcNow() }, ct), ct);
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
        return EndAsync(uow, EndAllSql, EndAllAndTellSql, new { Kind = kind, AccountId = accountId, Except = except, Now = clock.GetUtcNow() }, ct);
    }

    // PostgreSQL: the ids of the sessions ended go to every instance's SessionsListener, sent by the transaction that ends
    // them, so with its commit and only if it commits (NOTIFY is transactional); the rows ended are counted.
    static string Telling(string end) => $"""
        with ended as ({end} returning id)
        select count(*)::int from ended, pg_notify('{SessionsListener.Channel}', ended.id)
        """;
    static readonly string EndAndTellSql = Telling(EndSql), EndAllAndTellSql = Telling(EndAllSql);

    static Task<int> EndAsync(UnitOfWork uow, string end, string endAndTell, object parameters, CancellationToken ct) => uow.Dialect.IsSqlite
        ? uow.ExecuteAsync(end, parameters, ct)
        : uow.QuerySingleAsync<int>(endAndTell, parameters, ct);

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
