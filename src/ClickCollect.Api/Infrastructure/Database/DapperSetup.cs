using System.Data;
using System.Globalization;
using System.Text.Json;
using Dapper;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// Dapper settings shared by every store. Rows are read into classes with init properties (not
/// positional records) because the two engines return different boxes for the same column: SQLite
/// gives <c>long</c> for booleans and <c>string</c> for dates, Npgsql gives <c>bool</c> and <c>DateTime</c>.
/// </summary>
internal static class DapperSetup
{
    static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.Settings.PreferTypeHandlersForEnums = true;
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new TimeOnlyHandler());
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> Enums = new();

    /// <summary>
    /// Stores enums as their camelCase name, the same spelling the JSON API uses ("onShelf").
    /// Dapper's handlers are process-wide: each enum is registered once, however many apps (tests) start.
    /// </summary>
    public static void AddEnum<T>() where T : struct, Enum
    {
        if (Enums.TryAdd(typeof(T), true)) SqlMapper.AddTypeHandler(new EnumHandler<T>());
    }

    public static string ToDb<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    sealed class EnumHandler<T> : SqlMapper.TypeHandler<T> where T : struct, Enum
    {
        static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => ToDb(v), StringComparer.Ordinal);

        public override void SetValue(IDbDataParameter parameter, T value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = ToDb(value);
        }

        public override T Parse(object value) => ByName.TryGetValue((string)value, out var parsed)
            ? parsed
            : throw new DataException($"'{value}' is not a {typeof(T).Name}.");
    }

    /// <summary>Instants are stored in UTC: ISO-8601 text on SQLite, timestamptz on PostgreSQL.</summary>
    sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.Value = value.ToUniversalTime();
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as an instant."),
        };
    }

    sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value) => parameter.Value = value;

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime d => DateOnly.FromDateTime(d),
            string s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a date."),
        };
    }

    sealed class TimeOnlyHandler : SqlMapper.TypeHandler<TimeOnly>
    {
        public override void SetValue(IDbDataParameter parameter, TimeOnly value) => parameter.Value = value;

        public override TimeOnly Parse(object value) => value switch
        {
            TimeOnly t => t,
            TimeSpan t => TimeOnly.FromTimeSpan(t),
            string s => TimeOnly.Parse(s, CultureInfo.InvariantCulture),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a time of day."),
        };
    }
}
