using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Figures;

/// <summary>
/// The branch's local time inside SQL, alike on SQLite and PostgreSQL, so the figures can be grouped by
/// local day, weekday and hour in the database (issue 11 item 4: a year of 100,000 appointments must not
/// come back row by row). An instant column becomes Unix seconds (the one dialect difference), plus the
/// zone's UTC offset in force at that instant, picked from the few offsets of the range. The offsets and
/// the instants they change at are worked out here from <see cref="TimeZoneInfo"/>, so the time-zone rules
/// are .NET's, as everywhere else in the code. Plain integer arithmetic then gives the local day (days
/// since 1970-01-01), the ISO weekday and the hour.
/// </summary>
internal sealed class LocalTimeSql
{
    const long Step = 900; // offsets change on a quarter-hour in every zone in use

    readonly List<long> changes = []; // Unix seconds at which a new offset starts
    readonly List<long> offsets = []; // offsets[i] is in force before changes[i]; the last one after the last change
    readonly SqlDialect sql;

    public LocalTimeSql(SqlDialect sql, TimeZoneInfo zone, DateTimeOffset start, DateTimeOffset end)
    {
        this.sql = sql;
        var first = start.ToUnixTimeSeconds() / Step * Step - 86_400;
        var last = end.ToUnixTimeSeconds() + 86_400;
        long OffsetAt(long seconds) => (long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(seconds)).TotalSeconds;
        var current = OffsetAt(first);
        offsets.Add(current);
        for (var s = first + Step; s <= last; s += Step)
        {
            var offset = OffsetAt(s);
            if (offset == current) continue;
            changes.Add(s);
            offsets.Add(current = offset);
        }
    }

    /// <summary>The day number (days since 1970-01-01) of a local day, as the SQL below gives it.</summary>
    public static DateOnly DateOf(long day) => DateOnly.FromDayNumber(UnixEpochDay + (int)day);

    static readonly int UnixEpochDay = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>Unix seconds of an instant column (whole seconds).</summary>
    public string Epoch(string column) => sql.Pick($"cast(strftime('%s', {column}) as integer)", $"cast(floor(extract(epoch from {column})) as bigint)");

    /// <summary>Whole seconds from one instant column to another.</summary>
    public string Seconds(string from, string to) =>
        sql.Pick($"cast(round((julianday({to}) - julianday({from})) * 86400) as integer)", $"cast(round(extract(epoch from {to} - {from})) as bigint)");

    /// <summary>Local seconds since 1970-01-01 for <paramref name="epoch"/> (a column of Unix seconds).</summary>
    public string Local(string epoch)
    {
        if (changes.Count == 0) return $"{epoch} + @LocalOffset0";
        var whens = string.Concat(changes.Select((_, i) => $" when {epoch} < @LocalChange{i} then @LocalOffset{i}"));
        return $"{epoch} + case{whens} else @LocalOffset{changes.Count} end";
    }

    /// <summary>The local day number, ISO weekday (1 = Monday; 1970-01-01 was a Thursday) and hour of local seconds <paramref name="local"/>.</summary>
    public static string Day(string local) => $"{local} / 86400";
    public static string Weekday(string local) => $"({local} / 86400 + 3) % 7 + 1";
    public static string Hour(string local) => $"({local} % 86400) / 3600";

    /// <summary>Adds the offsets and the instants they change at to <paramref name="parameters"/>.</summary>
    public void AddTo(DynamicParameters parameters)
    {
        for (var i = 0; i < offsets.Count; i++) parameters.Add($"LocalOffset{i}", offsets[i]);
        for (var i = 0; i < changes.Count; i++) parameters.Add($"LocalChange{i}", changes[i]);
    }
}
