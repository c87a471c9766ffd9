namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// A set of states written once as an SQL list, <c>('booked', 'arrived')</c>, so that queries splice it into
/// <c>const</c> SQL (<c>$"… where a.status in {AppointmentStatuses.OpenSql}"</c>) and C# reads the same set as
/// enum values. One spelling per rule (#15): the list cannot drift between the SQL and the C#.
/// </summary>
internal static class StatusList
{
    public static T[] Parse<T>(string sqlList) where T : struct, Enum
    {
        var byName = Enum.GetValues<T>().ToDictionary(v => DapperSetup.ToDb(v), StringComparer.Ordinal);
        return sqlList.Trim().TrimStart('(').TrimEnd(')')
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => byName.TryGetValue(name.Trim('\''), out var value)
                ? value
                : throw new ArgumentException($"{name} is not a {typeof(T).Name}.", nameof(sqlList)))
            .ToArray();
    }
}
