using Npgsql;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// PostgreSQL: one dedicated connection per app instance (not from the pool) that LISTENs on <paramref name="channel"/> and
/// hands each notification to <see cref="Heard"/>, so that what this instance keeps in memory (a cache, the sessions in
/// use) hears the changes the other instances commit. What it keeps exact is to be used only between
/// <see cref="Listening"/> and <see cref="NotListening"/>: lost, the connection is opened again after 1 s, then 2, 4… up
/// to 30 s (on <paramref name="retryClock"/>). SQLite (one instance) needs none of this and starts nothing.
/// </summary>
/// <param name="applicationName">The connection's application_name, as pg_stat_activity shows it.</param>
/// <param name="whileLost">What the log says works meanwhile when the connection is lost.</param>
internal abstract class PostgresListener(Db db, string channel, string applicationName, string whileLost, TimeProvider retryClock,
    ILogger logger) : BackgroundService
{
    static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1), LastRetry = TimeSpan.FromSeconds(30);

    protected abstract void Heard(string payload);

    /// <summary>Listening from now on: every change committed from now on is heard, what was kept before may have missed some.</summary>
    protected abstract void Listening();

    protected abstract void NotListening();

    /// <summary>Run on the new connection before it listens.</summary>
    protected virtual Task OpenedAsync(NpgsqlConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Waits for notifications (each one handed to <see cref="Heard"/>) until the connection fails.</summary>
    protected virtual async Task WaitAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        while (true) await connection.WaitAsync(ct);
    }

    // Not async itself: an async method's state machine holds its locals (here Npgsql's connection and commands) as
    // fields, so the runtime loads Npgsql with it; on SQLite that was 1.4 MB resident at the 256-connection booking peak
    // for nothing (#17, NpgsqlOnSqliteTests).
    protected sealed override Task ExecuteAsync(CancellationToken stoppingToken) =>
        db.Dialect.IsSqlite ? Task.CompletedTask : ListenAsync(stoppingToken);

    async Task ListenAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = db.Dedicated(applicationName);
                connection.Notification += (_, e) => Heard(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await OpenedAsync(connection, stoppingToken);
                await using (var listen = new NpgsqlCommand($"listen {channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                Listening();
                retry = FirstRetry;
                await WaitAsync(connection, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The {Channel} listener lost PostgreSQL: {WhileLost} until it reconnects (in {Retry})", channel, whileLost, retry);
            }
            finally
            {
                NotListening();
            }
            try
            {
                await Task.Delay(retry, retryClock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            retry = retry * 2 < LastRetry ? retry * 2 : LastRetry;
        }
    }
}
