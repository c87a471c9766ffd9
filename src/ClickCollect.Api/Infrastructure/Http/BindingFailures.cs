using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// The query and route values of a request that its endpoint could not read (<c>page=abc</c>, <c>all=maybe</c>).
/// The compile-time request delegates answer such a value with an empty 400 instead of throwing the
/// <see cref="BadHttpRequestException"/> that <see cref="ProblemMapping"/> names the field from, so the
/// problem written for that 400 asks this which fields they were. Only runs on that failure path.
/// </summary>
internal static class BindingFailures
{
    public static Dictionary<string, string[]>? Of(HttpContext http)
    {
        Dictionary<string, string[]>? errors = null;
        foreach (var parameter in http.GetEndpoint()?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [])
        {
            if (!parameter.HasTryParse) continue;
            var info = parameter.ParameterInfo;
            var attributes = info.GetCustomAttributes(inherit: true);
            var name = attributes.OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
                ?? attributes.OfType<IFromRouteMetadata>().FirstOrDefault()?.Name ?? parameter.Name;
            var raw = http.Request.Query.TryGetValue(name, out var query) ? query.ToString()
                : http.Request.RouteValues.TryGetValue(name, out var route) ? route?.ToString() : null;
            if (string.IsNullOrEmpty(raw) || Parses(info.ParameterType, raw)) continue;
            errors ??= [];
            errors[JsonNamingPolicy.CamelCase.ConvertName(name)] = [$"Failed to bind parameter \"{info.ParameterType.Name} {name}\" from \"{raw}\"."];
        }
        return errors;
    }

    static bool Parses(Type declared, string raw)
    {
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        if (type == typeof(string)) return true;
        if (type.IsEnum) return Enum.TryParse(type, raw, ignoreCase: true, out _);
        var withCulture = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]);
        if (withCulture is not null) return (bool)withCulture.Invoke(null, [raw, CultureInfo.InvariantCulture, null])!;
        var plain = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]);
        return plain is null || (bool)plain.Invoke(null, [raw, null])!;
    }
}
