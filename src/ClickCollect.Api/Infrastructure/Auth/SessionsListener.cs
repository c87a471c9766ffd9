using ClickCollect.Api.Infrastructure.Database;
using Npgsql;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>
/// PostgreSQL: lets <see cref="SessionStore"/> remember the sessions in use although another instance may end one (#17).
/// Every statement that ends sessions also sends their ids on <see cref="Channel"/> (SessionStore.EndSql), in its own
/// transaction, so PostgreSQL delivers them at its commit to every connection then listening. One dedicated connection per
/// instance (not from the pool) LISTENs there, and each id heard is forgotten. The memory is in use only while this
/// connection is known to listen: it proves it at least every <see cref="Heartbeat"/> (a notification heard, or a round
/// trip answered when nothing came), and a proof older than <see cref="SessionStore.ListenerStale"/> turns the memory off
/// until the next; lost, the memory is emptied once it listens again (what ended meanwhile was not heard). It reconnects
/// after 1 s, then 2, 4… up to 30 s. SQLite (one instance, whose store ends every session itself) needs none of this.
/// </summary>
internal sealed class SessionsListener(Db db, SessionStore sessions, ILogger<SessionsListener> logger)
    : PostgresListener(db, Channel, ApplicationName, "each request reads its session", TimeProvider.System, logger)
{
    internal const string Channel = "sessions_ended";
    internal const string ApplicationName = "ClickCollect sessions listener";
    internal static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    protected override void Heard(string payload) => sessions.EndedElsewhere(payload);

    protected override void Listening() => sessions.Listening();

    protected override void NotListening() => sessions.NotListening();

    protected override async Task WaitAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var ping = new NpgsqlCommand("select 1", connection);
        while (true)
        {
            // PostgreSQL sends the notifications committed before it answers a statement with that answer, or before.
            if (!await connection.WaitAsync(Heartbeat, ct)) await ping.ExecuteScalarAsync(ct);
            sessions.StillListening();
        }
    }
}
