using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// Applies the numbered SQL files of <c>db/&lt;provider&gt;/</c> (embedded in this assembly) in order and
/// records each in <c>schema_migrations</c>. All pending files run in one transaction: a failing file
/// leaves the database exactly as it was. An applied file that has since changed stops the start.
/// </summary>
internal sealed class Migrator(Db db, ILogger<Migrator> logger)
{
    // Any constant: several PostgreSQL instances starting together wait for one another here.
    internal const long MigrationLockKey = 0x436c69636b436f;

    const string CreateTableSql = """
        create table if not exists schema_migrations (
            version integer primary key,
            name text not null,
            checksum text not null,
            applied_at text not null
        )
        """;

    const string AppliedSql = "select version, name, checksum from schema_migrations order by version";

    const string RecordSql = """
        insert into schema_migrations (version, name, checksum, applied_at) values (@Version, @Name, @Checksum, @AppliedAt)
        """;

    internal sealed record Migration(int Version, string Name, string Sql)
    {
        public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
    }

    sealed class AppliedRow
    {
        public long Version { get; init; }
        public string Name { get; init; } = "";
        public string Checksum { get; init; } = "";
    }

    /// <summary>The migration files for a dialect, in order, read from the embedded <c>db/</c> folder.</summary>
    public static IReadOnlyList<Migration> Load(SqlDialect dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"db/{dialect.Name}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Parse(n[prefix.Length..], Read(assembly, n)))
            .OrderBy(m => m.Version)
            .ToList();
    }

    static Migration Parse(string fileName, string sql)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var underscore = stem.IndexOf('_');
        if (underscore != 4 || !int.TryParse(stem[..4], out var version))
            throw new InvalidOperationException($"Migration file '{fileName}' must be named NNNN_name.sql.");
        return new Migration(version, stem[(underscore + 1)..], sql);
    }

    static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Applies what is pending; returns the versions applied (empty when up to date).</summary>
    public Task<IReadOnlyList<int>> MigrateAsync(DateTimeOffset now, CancellationToken ct) => MigrateAsync(Load(db.Dialect), now, ct);

    internal async Task<IReadOnlyList<int>> MigrateAsync(IReadOnlyList<Migration> migrations, DateTimeOffset now, CancellationToken ct)
    {
        if (db.Dialect.IsSqlite)
        {
            // WAL is a property of the file: set once, it stays. Readers then never block the writer.
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("pragma journal_mode = wal;", cancellationToken: ct));
        }

        // Up to date, as at every start but the first after an upgrade: one read decides it, without the write
        // transaction, the lock and the single writer's start (#17: start-up). Anything pending takes the locked path,
        // which reads again under the lock (another instance may be migrating now).
        if (await PendingAsync(migrations, ct) is { Count: 0 }) return [];

        await using var uow = await db.WriteAsync(ct);
        await uow.LockAsync(MigrationLockKey, ct);
        await uow.ExecuteAsync(CreateTableSql, null, ct);
        var applied = (await uow.QueryAsync<AppliedRow>(AppliedSql, null, ct)).ToDictionary(r => (int)r.Version);
        var pending = Verify(migrations, applied);
        foreach (var migration in pending)
        {
            try
            {
                await uow.ExecuteAsync(migration.Sql, null, ct);
            }
            catch (Exception e) when (e is System.Data.Common.DbException)
            {
                throw new MigrationException($"Migration {migration.Version:D4}_{migration.Name} failed, nothing was applied: {e.Message}", e);
            }
            await uow.ExecuteAsync(RecordSql, new { migration.Version, migration.Name, migration.Checksum, AppliedAt = now.ToString("O") }, ct);
        }
        await uow.CommitAsync(ct);
        foreach (var m in pending) logger.LogInformation("Applied migration {Version:D4}_{Name}", m.Version, m.Name);
        return pending.Select(m => m.Version).ToList();
    }

    /// <summary>
    /// Throws when the database was migrated by a newer version of ClickCollect (a migration this build does
    /// not know) or an applied file changed; returns the migrations still to apply.
    /// </summary>
    static List<Migration> Verify(IReadOnlyList<Migration> migrations, Dictionary<int, AppliedRow> applied)
    {
        foreach (var (version, row) in applied.OrderBy(a => a.Key))
        {
            var file = migrations.FirstOrDefault(m => m.Version == version);
            if (file is null)
                throw new MigrationException(
                    $"The database was migrated by a newer version of ClickCollect: it has migration {version:D4}_{row.Name}, which this version "
                    + $"does not know (this version knows up to {migrations.LastOrDefault()?.Version ?? 0:D4}). Run the newer version, or restore a backup taken before the upgrade.");
            if (file.Checksum != row.Checksum)
                throw new MigrationException($"Migration {version:D4}_{row.Name} was changed after it was applied. Never edit an applied migration: add a new numbered file (db/README.md).");
        }
        return migrations.Where(m => !applied.ContainsKey(m.Version)).ToList();
    }

    /// <summary>
    /// For an instance that does not migrate (<c>Database:MigrateOnStart=false</c>): throws as
    /// <see cref="MigrateAsync(DateTimeOffset, CancellationToken)"/> would on a newer or edited database,
    /// and returns the versions still to apply (by <c>make migrate</c>), without writing anything.
    /// </summary>
    public async Task<IReadOnlyList<int>> CheckAsync(CancellationToken ct) =>
        (await PendingAsync(Load(db.Dialect), ct)).Select(m => m.Version).ToList();

    /// <summary>What is still to apply, read without writing or locking; throws as <see cref="Verify"/> does.</summary>
    async Task<List<Migration>> PendingAsync(IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        Dictionary<int, AppliedRow> applied;
        try
        {
            applied = (await connection.QueryAsync<AppliedRow>(new CommandDefinition(AppliedSql, cancellationToken: ct))).ToDictionary(r => (int)r.Version);
        }
        catch (System.Data.Common.DbException)
        {
            applied = []; // no schema_migrations yet: an empty database
        }
        return Verify(migrations, applied);
    }
}

internal sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
