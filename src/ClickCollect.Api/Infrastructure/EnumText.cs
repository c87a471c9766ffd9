namespace ClickCollect.Api.Infrastructure;

/// <summary>Enum values as the API and the import file spell them (camelCase), read case-insensitively.</summary>
internal static class EnumText<T> where T : struct, Enum
{
    static readonly Dictionary<string, T> ByName =
        Enum.GetValues<T>().ToDictionary(v => Database.DapperSetup.ToDb(v), StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string? text, out T value) => ByName.TryGetValue(text ?? "", out value);
}
