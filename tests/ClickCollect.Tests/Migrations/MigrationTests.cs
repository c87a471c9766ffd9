using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;

namespace ClickCollect.Tests.Migrations;

public sealed class MigrationFileTests
{
    [Fact]
    public void Both_dialects_have_the_same_contiguous_numbered_files()
    {
        var sqlite = Migrator.Load(SqlDialect.Sqlite).Select(m => (m.Version, m.Name)).ToList();
        var postgres = Migrator.Load(SqlDialect.Postgres).Select(m => (m.Version, m.Name)).ToList();
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, postgres);
        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(m => m.Version));
    }
}

public abstract class MigrationTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task An_empty_database_is_migrated_at_start_and_running_again_applies_nothing()
    {
        await using var app = await TestApp.StartEmptyAsync<TDb>();
        var migrator = app.Service<Migrator>();
        var applied = await migrator.MigrateAsync(app.Clock.GetUtcNow(), default);
        Assert.Empty(applied);
        await using var c = await app.Service<Db>().OpenAsync(default);
        Assert.Equal(Migrator.Load(app.Service<Db>().Dialect).Count,
            await c.ExecuteScalarAsync<long>("select count(*) from schema_migrations"));
    }

    [Fact]
    public async Task An_up_to_date_database_is_checked_without_waiting_for_the_writer()
    {
        // Every start but the first after an upgrade: one read, no write transaction nor migration lock (#17: start-up),
        // so a start does not wait behind a long write, another instance's migration or a backup.
        await using var app = await TestApp.StartAsync<TDb>();
        await using var holder = await app.Service<Db>().WriteAsync(default);
        await holder.LockAsync(Migrator.MigrationLockKey, default);

        var migrating = app.Service<Migrator>().MigrateAsync(app.Clock.GetUtcNow(), default);

        Assert.Same(migrating, await Task.WhenAny(migrating, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Empty(await migrating);
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_database_as_it_was_and_says_which_file()
    {
        await using var app = await TestApp.StartEmptyAsync<TDb>();
        var db = app.Service<Db>();
        var files = Migrator.Load(db.Dialect).ToList();
        var next = files.Count + 1;
        files.Add(new Migrator.Migration(next, "good", "create table migration_probe (id integer)"));
        files.Add(new Migrator.Migration(next + 1, "broken", "create table this is not sql"));

        var error = await Assert.ThrowsAsync<MigrationException>(() => app.Service<Migrator>().MigrateAsync(files, app.Clock.GetUtcNow(), default));

        Assert.Contains($"{next + 1:D4}_broken", error.Message);
        await using var c = await db.OpenAsync(default);
        var probe = db.Dialect.Pick(
            "select count(*) from sqlite_master where name = 'migration_probe'",
            "select count(*) from information_schema.tables where table_name = 'migration_probe'");
        Assert.Equal(0, await c.ExecuteScalarAsync<long>(probe));
        Assert.Equal(next - 1, await c.ExecuteScalarAsync<long>("select count(*) from schema_migrations"));
    }

    [Fact]
    public async Task An_applied_file_that_changed_stops_the_start()
    {
        await using var app = await TestApp.StartEmptyAsync<TDb>();
        var db = app.Service<Db>();
        var files = Migrator.Load(db.Dialect).ToList();
        files[0] = files[0] with { Sql = files[0].Sql + "\n-- edited" };
        var error = await Assert.ThrowsAsync<MigrationException>(() => app.Service<Migrator>().MigrateAsync(files, app.Clock.GetUtcNow(), default));
        Assert.Contains("changed after it was applied", error.Message);
    }
}

public sealed class MigrationTests_Sqlite : MigrationTests<SqliteTestDatabase>
{
    [Fact]
    public async Task Sqlite_connections_use_wal_full_sync_and_foreign_keys()
    {
        await using var app = await TestApp.StartAsync();
        await using var c = await app.Service<Db>().OpenAsync(default);
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("pragma journal_mode"));
        Assert.Equal(2L, await c.ExecuteScalarAsync<long>("pragma synchronous")); // 2 = FULL
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>("pragma foreign_keys"));
    }

    [Fact]
    public async Task A_burst_of_parallel_writes_all_commit_without_busy_errors()
    {
        await using var app = await TestApp.StartAsync();
        var db = app.Service<Db>();
        await db.WriteAsync(uow => uow.ExecuteAsync("create table burst (n integer not null)", null, default), default);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(n => Task.Run(() =>
            db.WriteAsync(uow => uow.ExecuteAsync("insert into burst (n) values (@n)", new { n }, default), default))));
        await using var c = await db.OpenAsync(default);
        Assert.Equal(200, await c.ExecuteScalarAsync<long>("select count(*) from burst"));
    }
}

public sealed class MigrationTests_Postgres : MigrationTests<PostgresTestDatabase>;
