namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// A <c>where</c> clause made of the filters actually given. <c>(@X is null or col = @X)</c> reads well but
/// no engine can use an index on <c>col</c> through it (SQLite plans once for every value; PostgreSQL's
/// generic plans too), so a read by key scanned the whole table and got slower as the table grew
/// (issue 17: 3.0 ms at 22.9k appointments, 5.6 ms at 49.9k). Each condition is plain SQL text naming
/// its parameters; only the conditions switched on are written.
/// <code>
/// var where = new SqlWhere()
///     .And(f.PatronId is not null, "a.patron_id = @PatronId")
///     .And(f.AppointmentId is not null, "a.id = @AppointmentId");
/// var sql = $"{SelectSql} {where} order by a.slot_start";
/// </code>
/// </summary>
internal sealed class SqlWhere
{
    readonly List<string> conditions = [];

    /// <summary>A condition that always applies.</summary>
    public SqlWhere And(string condition)
    {
        conditions.Add(condition);
        return this;
    }

    /// <summary>A condition that applies only when <paramref name="given"/> (its filter was set).</summary>
    public SqlWhere And(bool given, string condition) => given ? And(condition) : this;

    /// <summary><c>where a and b …</c>, or nothing when no condition applies.</summary>
    public override string ToString() => conditions.Count == 0 ? "" : "where " + string.Join("\n  and ", conditions);
}
