using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// The one way to the database. Reads open a pooled connection each; writes go through
/// <see cref="WriteAsync"/>, a unit of work (one connection, one transaction).
/// </summary>
/// <remarks>
/// On SQLite, writes are serialised inside the app (one writer, reads in parallel under WAL) and the
/// transaction starts IMMEDIATE, so a burst of writes queues in the app instead of sleeping in
/// SQLite's busy-retry loop (PLATFORM.md measured p99 up to 0.7 s without this); the writer commits the
/// writes waiting together, one fsync for the group (<see cref="GroupCommit"/>, #17). PostgreSQL runs
/// writers in parallel under READ COMMITTED; stores that need mutual exclusion take a transaction
/// advisory lock through <see cref="UnitOfWork.LockAsync"/>.
/// </remarks>
internal sealed class Db : IAsyncDisposable
{
    readonly DbDataSource source;
    readonly Lazy<GroupCommit>? writer;
    Action<DbConnection>? connectionOpened;

    readonly DbDataSource? searchSource, bookingSource;
    readonly string? postgresSettings; // the connection string, password included (a data source's own leaves it out)

    public Db(DbDataSource source, SqlDialect dialect, DbDataSource? searchSource = null, string? postgresSettings = null,
        DbDataSource? bookingSource = null)
    {
        this.source = source;
        this.searchSource = searchSource;
        this.bookingSource = bookingSource;
        this.postgresSettings = postgresSettings;
        Dialect = dialect;
        if (dialect.IsSqlite)
        {
            writer = new(() => new GroupCommit(ct => OpenSqliteAsync(WriterCacheKib, ct), dialect) { ConnectionOpened = connectionOpened });
            readers = [];
        }
    }

    public SqlDialect Dialect { get; }

    /// <summary>The SQLite writer (null on PostgreSQL): its counts show how many writes shared each COMMIT.</summary>
    internal GroupCommit? Writer => writer?.Value;

    /// <summary>
    /// Called with every connection <see cref="OpenAsync"/> opens, and with the writer's own (kept open) before its
    /// next group: tests trace the statements run on them (#17).
    /// </summary>
    internal Action<DbConnection>? ConnectionOpened
    {
        get => connectionOpened;
        set
        {
            connectionOpened = value;
            if (writer is { IsValueCreated: true }) writer.Value.ConnectionOpened = value;
        }
    }

    public static Db Create(DatabaseOptions options, string? connectionString)
    {
        if (options.IsSqlite)
        {
            var csb = new SqliteConnectionStringBuilder(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString)
            {
                ForeignKeys = true,
                DefaultTimeout = 30, // also SQLite's busy timeout: waits for another process's write lock
                Pooling = true,
            };
            var dir = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
            if (dir is not null) Directory.CreateDirectory(dir);
            return new Db(SqliteFactory.Instance.CreateDataSource(csb.ConnectionString), SqlDialect.Sqlite);
        }
        return CreatePostgres(connectionString);
    }

    // Apart from Create, and not inlined: the JIT loads an assembly when it compiles a method that names its types, so with
    // the PostgreSQL branch inside Create, Npgsql (1.4 MB resident at the 256-connection booking peak, #17) was loaded on
    // SQLite too.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static Db CreatePostgres(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("Database:Provider is postgres but ConnectionStrings:ClickCollect is empty.");
        var settings = WithAutoPrepare(connectionString);
        var search = new NpgsqlConnectionStringBuilder(settings);
        search.MaxPoolSize = Math.Min(search.MaxPoolSize, DatabaseGate.AtOnce);
        var booking = new NpgsqlConnectionStringBuilder(settings);
        booking.MaxPoolSize = Math.Min(booking.MaxPoolSize, DatabaseGate.BookingsAtOnce);
        booking.Options = $"{booking.Options} -c plan_cache_mode=force_generic_plan".Trim();
        return new Db(NpgsqlDataSource.Create(settings), SqlDialect.Postgres, NpgsqlDataSource.Create(search.ConnectionString), settings,
            NpgsqlDataSource.Create(booking.ConnectionString));
    }

    /// <summary>
    /// PostgreSQL: a connection of its own, outside the pools, for a background service that keeps one open (the slot
    /// calendar's LISTEN and NOTIFY): named <paramref name="applicationName"/> in pg_stat_activity, with TCP keepalives
    /// every 10 s so that one that died silently fails its next wait.
    /// </summary>
    public NpgsqlConnection Dedicated(string applicationName) =>
        new(new NpgsqlConnectionStringBuilder(postgresSettings ?? throw new InvalidOperationException("Dedicated connections are PostgreSQL's."))
        {
            Pooling = false,
            KeepAlive = 10,
            ApplicationName = applicationName,
        }.ConnectionString);

    /// <summary>
    /// A connection for a catalogue search (<see cref="DatabaseGate"/>: at most <see cref="DatabaseGate.AtOnce"/> at once). On
    /// PostgreSQL from a pool of its own, of that size: Npgsql hands out its idle connections in turn, so searches drawn
    /// from the app's pool (70 connections after the booking runs of make bench) ran on a different backend each time, its
    /// caches cold; with a pool of their own they run on the same few (#17: at 16 connections, searches limited to four
    /// connections at once answered with p99 12.6–15.0 ms in four runs, against 23–46 ms in five with the app's pool).
    /// </summary>
    public Task<DbConnection> OpenSearchAsync(CancellationToken ct) => searchSource is null ? OpenAsync(ct) : OpenPooledAsync(searchSource, ct);

    /// <summary>
    /// Npgsql prepares a statement on the server once it has run it twice on a connection, then reuses the plan:
    /// the booking path's statements spent 3.3 ms planning for 1.1 ms executing without it, and auto-prepare
    /// alone gave 1.6–2× (#17). A <c>Max Auto Prepare</c> given in the connection string wins.
    /// </summary>
    /// <remarks>
    /// Also <c>No Reset On Close</c>, unless the connection string says otherwise: by default Npgsql resets every pooled
    /// connection it hands out again, seven statements sent with the request's first one (SET SESSION AUTHORIZATION
    /// DEFAULT, RESET ALL, CLOSE ALL, UNLISTEN *, pg_advisory_unlock_all(), planned each time, DISCARD SEQUENCES,
    /// DISCARD TEMP): more statements than a cached catalogue search runs itself (make bench, pg_stat_statements,
    /// 14,792 searches). The app leaves nothing for a reset to undo: its locks are transaction-level
    /// (pg_advisory_xact_lock), it sets no session setting, makes no temporary table, and LISTENs on a connection of
    /// its own outside the pool (SlotPlacesListener). A transaction left open is still rolled back on return.
    /// </remarks>
    internal static string WithAutoPrepare(string connectionString)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (csb.MaxAutoPrepare == 0) (csb.MaxAutoPrepare, csb.AutoPrepareMinUsages) = (100, 2);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) csb.NoResetOnClose = true;
        return csb.ConnectionString;
    }

    /// <summary>
    /// A connection for reads (on PostgreSQL, from Npgsql's pool). On SQLite, one of the read connections this keeps open
    /// with their prepared statements (<see cref="PreparedConnection"/>): disposing it gives it back. A read connection
    /// from Microsoft.Data.Sqlite's pool parses and plans every statement again (its prepared statements go with the
    /// <see cref="SqliteConnection"/> object, a new one at every open): 11 % of a booking's CPU went to preparing the
    /// session check and the read-back on pooled connections in the profile of make bench (#17).
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (readers is null) return await OpenPooledAsync(source, ct);
        if (readers.TryTake(out var kept))
        {
            Interlocked.Decrement(ref idleReaders);
            connectionOpened?.Invoke(kept.Inner);
            return kept;
        }
        return new PreparedConnection(await OpenSqliteAsync(ReaderCacheKib, ct), KeepReader);
    }

    /// <summary>The read connections kept open (SQLite): as many as were ever used at once, up to <see cref="MaxIdleReaders"/>.</summary>
    readonly ConcurrentBag<PreparedConnection>? readers;
    int idleReaders;
    volatile bool disposed;

    /// <summary>
    /// Read connections kept idle at most; more at once are opened and closed as needed. Reads on SQLite run on the thread
    /// that asked (Microsoft.Data.Sqlite's async calls complete synchronously), so about as many as there are busy threads
    /// are in use at once.
    /// </summary>
    internal const int MaxIdleReaders = 32;

    bool KeepReader(PreparedConnection connection)
    {
        if (disposed || Interlocked.Increment(ref idleReaders) > MaxIdleReaders)
        {
            if (!disposed) Interlocked.Decrement(ref idleReaders);
            return false;
        }
        readers!.Add(connection);
        return true;
    }

    /// <summary>
    /// SQLite's page cache of a read connection, KiB; the writer keeps SQLite's default, 2,000 (#17 item 4). Each read
    /// connection kept open (up to <see cref="MaxIdleReaders"/>) filled its 2 MB default from the 140 MB file of make
    /// bench: malloc's memory at the peak of the SQLite booking run at 256 connections was 34-38 MB with it, 18-23 MB
    /// with 512 KiB (21-23 MB on PostgreSQL, SQLite's share gone); 196-198 MB resident in all (dynamic PGO off too, see
    /// the csproj) against 219-231. A booking's reads go by index, through the same few upper pages of each B-tree, which
    /// stay cached; a page read again comes from the operating system's cache. CPU per booking 0.37-0.48 ms against 0.47-0.60 (load 3-5).
    /// </summary>
    internal const int ReaderCacheKib = 512;
    internal const int WriterCacheKib = 2000;

    /// <summary>
    /// A plain connection from Microsoft.Data.Sqlite's pool, given this app's settings and a page cache of
    /// <paramref name="cacheKib"/> (the writer wraps its own). Set at each open: a pooled physical connection can go from
    /// the readers to the writer.
    /// </summary>
    async Task<SqliteConnection> OpenSqliteAsync(int cacheKib, CancellationToken ct)
    {
        var connection = (SqliteConnection)await OpenPooledAsync(source, ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"pragma cache_size = -{cacheKib};";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>A connection from <paramref name="pool"/> (the app's, or on PostgreSQL the searches' or the bookings'), given this app's settings.</summary>
    async Task<DbConnection> OpenPooledAsync(DbDataSource pool, CancellationToken ct)
    {
        var connection = await pool.OpenConnectionAsync(ct);
        if (connection is SqliteConnection sqlite && sqlite.Handle is { } handle && !configured.TryGetValue(handle, out _))
        {
            // Per-connection settings: a confirmed write survives a power cut (FULL syncs the WAL on commit).
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "pragma synchronous = full;";
            await pragma.ExecuteNonQueryAsync(ct);
            configured.AddOrUpdate(handle, handle);
        }
        connectionOpened?.Invoke(connection);
        return connection;
    }

    /// <summary>
    /// The SQLite connections already given their settings. A pooled <see cref="SqliteConnection"/> hands the same
    /// physical connection (the same <c>sqlite3</c> handle) to each open, and a pragma stays set on it: setting it at
    /// every open was one statement more on every read and write (#17). An entry goes with its handle.
    /// </summary>
    static readonly ConditionalWeakTable<SQLitePCL.sqlite3, SQLitePCL.sqlite3> configured = new();

    /// <summary>
    /// A unit of work: commit it with <see cref="UnitOfWork.CommitAsync"/>, which returns once the change is
    /// durable; disposed without a commit, it is rolled back. On SQLite it is a turn of the single writer: do
    /// the reads and computations that need no lock before asking for it.
    /// </summary>
    public async Task<UnitOfWork> WriteAsync(CancellationToken ct)
    {
        if (writer is not null) return await writer.Value.EnterAsync(ct);
        return await BeginAsync(await OpenAsync(ct), ct);
    }

    /// <summary>A unit of work on <paramref name="connection"/> (PostgreSQL); the connection is closed if it cannot begin.</summary>
    async Task<UnitOfWork> BeginAsync(DbConnection connection, CancellationToken ct)
    {
        try
        {
            return new UnitOfWork(connection, await connection.BeginTransactionAsync(ct), Dialect, null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A unit of work for a booking (<see cref="DatabaseGate"/>: at most <see cref="DatabaseGate.BookingsAtOnce"/> at once). On
    /// PostgreSQL its connection comes from a pool of that size, so bookings run on the same few backends, their statements
    /// prepared and their caches warm: from the app's pool (up to 100 backends under make bench at 256 connections), a booking
    /// cost the server 1.16 ms of CPU, 0.19 of them planning (the first plans on a backend read the catalogue), against 0.73 ms
    /// and 0.01 in the run after it (#17, figures at <see cref="DatabaseGate.BookingsAtOnce"/>). Those connections plan
    /// generically (plan_cache_mode, set when they open rather than by a statement in every booking): see
    /// AppointmentStore.BookChecksSql. SQLite: <see cref="WriteAsync(CancellationToken)"/>.
    /// </summary>
    public async Task<UnitOfWork> WriteBookingAsync(CancellationToken ct) =>
        bookingSource is null ? await WriteAsync(ct) : await BeginAsync(await OpenPooledAsync(bookingSource, ct), ct);

    /// <summary>Runs <paramref name="work"/> in a unit of work and commits it.</summary>
    public async Task<T> WriteAsync<T>(Func<UnitOfWork, Task<T>> work, CancellationToken ct)
    {
        await using var uow = await WriteAsync(ct);
        var result = await work(uow);
        await uow.CommitAsync(ct);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (writer is { IsValueCreated: true }) await writer.Value.DisposeAsync();
        disposed = true;
        while (readers?.TryTake(out var reader) == true) await reader.DisposeAsync(); // declined by KeepReader now: closed
        await source.DisposeAsync();
        if (searchSource is not null) await searchSource.DisposeAsync();
        if (bookingSource is not null) await bookingSource.DisposeAsync();
    }
}
