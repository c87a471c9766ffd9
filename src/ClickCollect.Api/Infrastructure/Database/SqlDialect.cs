namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// Where SQLite and PostgreSQL differ, both spellings sit here side by side, so no store has to ask
/// which engine it runs on.
/// </summary>
internal sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(true);
    public static readonly SqlDialect Postgres = new(false);

    SqlDialect(bool isSqlite) => IsSqlite = isSqlite;

    public bool IsSqlite { get; }

    public string Name => IsSqlite ? "sqlite" : "postgres";

    /// <summary>Picks the SQLite or the PostgreSQL spelling of a statement.</summary>
    public string Pick(string sqlite, string postgres) => IsSqlite ? sqlite : postgres;
}
