namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>Which engine holds the data. <c>sqlite</c> (default, one app instance) or <c>postgres</c> (several instances).</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Apply the migrations in <c>db/</c> when the app starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    public bool IsSqlite => Provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase);

    public const string DefaultSqliteConnectionString = "Data Source=data/clickcollect.db";
}
