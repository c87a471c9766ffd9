using System.Text;
using System.Text.Json.Nodes;

namespace ClickCollect.Tests.Reliability;

/// <summary>One generated request: what it tries, and whether the contract says it must be refused.</summary>
public sealed record Probe(string Label, string Path, byte[]? Body, string? ContentType, bool MustRefuse);

/// <summary>
/// Generated bad input for one operation (#14 item 8): malformed, missing, oversized, wrong-typed and
/// hostile values in the route, the query and the body. "Must refuse" probes break the contract
/// (wrong type, NUL, dates out of bounds, invalid UTF-8, duplicate keys, missing required members):
/// they must get a 4xx and change nothing. The others (injection text, huge or negative numbers, long
/// strings, nulls in optional members) may be accepted, but never with a 5xx.
/// </summary>
public static class HostileInput
{
    static readonly string[] HostileText =
    [
        "' OR 1=1; DROP TABLE patrons; -- <script>alert(1)</script> ../../../../etc/passwd ${jndi:ldap://x/a} é\u202Etxt.exe 🦆 %00",
        " ", new string('x', 5000),
    ];

    static readonly string[] HostileRouteValues =
    [
        "-1", "99999999999999999999", "abc", "%F0%28%8C%28", "'%20OR%201=1--", "0001-01-01", "9999-12-31", new string('9', 3000),
    ];

    static readonly string[] HostileQueryValues =
    [
        "%00", "%FF%FE", "-1", "99999999999999999999", "0001-01-01", "9999-12-31", "'%20OR%201=1--%3Cscript%3E", new string('a', 3000),
    ];

    public static IEnumerable<Probe> For(ApiOperation operation, JsonObject document, Func<string, string> routeValue)
    {
        var path = ApiOperations.Fill(operation.Path, routeValue);
        var body = operation.BodyType == "application/json" ? ApiOperations.Example(document, operation.BodySchema) : null;
        var bodyBytes = body is null ? null : Encoding.UTF8.GetBytes(body.ToJsonString());
        var contentType = operation.BodyType;
        byte[]? Valid() => bodyBytes ?? DefaultBody(operation.BodyType);

        // Route values, one at a time.
        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
            foreach (var value in HostileRouteValues)
                yield return new Probe($"path {parameter.Name}={Short(value)}",
                    ApiOperations.Fill(operation.Path, n => n == parameter.Name ? value : routeValue(n)), Valid(), contentType, false);

        // Query values, one at a time.
        foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
            foreach (var value in HostileQueryValues)
                yield return new Probe($"query {parameter.Name}={Short(value)}", $"{path}?{parameter.Name}={value}", Valid(), contentType,
                    value.StartsWith("%00", StringComparison.Ordinal) || value == "true%00");

        if (operation.BodyType is null) yield break;

        // Bodies that are not what the route reads at all.
        yield return new Probe("body empty", path, [], contentType, operation.BodyType == "application/json" && operation.BodyRequired);
        yield return new Probe("body invalid UTF-8", path, [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0xC3, 0x28, 0x7D], contentType, true);
        yield return new Probe("body NUL bytes", path, [0x00, 0x00, 0x7B, 0x00], contentType, true);
        yield return new Probe("body 2 MiB", path, Encoding.UTF8.GetBytes("{\"x\": \"" + new string('x', 2 * 1024 * 1024) + "\"}"), contentType,
            operation.BodyType == "application/json");
        if (operation.BodyType != "application/json")
        {
            foreach (var text in Texts(operation.BodyType)) yield return new Probe($"body {Short(text)}", path, Encoding.UTF8.GetBytes(text), contentType, false);
            yield break;
        }

        yield return new Probe("body not JSON", path, "not json"u8.ToArray(), contentType, true);
        yield return new Probe("body truncated", path, bodyBytes is null ? "{"u8.ToArray() : bodyBytes[..Math.Max(1, bodyBytes.Length / 2)], contentType, true);
        yield return new Probe("body deep", path, Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)), contentType, true);
        yield return new Probe("body 1e400", path, "1e400"u8.ToArray(), contentType, true);
        if (body is not JsonObject shape) yield break;
        yield return new Probe("body array", path, "[]"u8.ToArray(), contentType, true);
        yield return new Probe("body deep member", path,
            Encoding.UTF8.GetBytes("{\"" + (shape.FirstOrDefault().Key ?? "x") + "\": " + new string('[', 1000) + new string(']', 1000) + "}"), contentType, true);
        if (shape.FirstOrDefault() is { Key: { } first } firstMember)
            yield return new Probe("body duplicate key", path, Encoding.UTF8.GetBytes(
                shape.ToJsonString().TrimEnd('}') + (shape.Count > 0 ? "," : "") + $"\"{first}\": {firstMember.Value?.ToJsonString() ?? "null"}}}"),
                contentType, true);

        foreach (var (name, listed, schema) in ApiOperations.Members(document, operation.BodySchema))
        {
            var type = ApiOperations.MainType(schema);
            // OpenAPI lists nullable constructor members as required; the API (StrictJson) treats them as optional.
            // A member neither required nor nullable may be computed (read-only): a wrong value there is ignored.
            var nullable = ApiOperations.Nullable(schema);
            var input = listed || nullable;
            var required = listed && !nullable;
            Probe With(string label, JsonNode? value, bool mustRefuse)
            {
                var copy = shape.DeepClone().AsObject();
                copy[name] = value;
                return new Probe($"{name} {label}", path, Encoding.UTF8.GetBytes(copy.ToJsonString()), contentType, mustRefuse);
            }
            Probe Without()
            {
                var copy = shape.DeepClone().AsObject();
                copy.Remove(name);
                return new Probe($"{name} missing", path, Encoding.UTF8.GetBytes(copy.ToJsonString()), contentType, required);
            }

            yield return Without();
            yield return With("null", null, required);
            yield return With("object", new JsonObject { ["$where"] = "1" }, input && type != "object");
            switch (type)
            {
                case "integer" or "number":
                    yield return With("string", "abc", input);
                    yield return With("huge", JsonNode.Parse("99999999999999999999999"), input);
                    yield return With("max", type == "integer" ? long.MaxValue : double.MaxValue, false);
                    yield return With("min", type == "integer" ? long.MinValue : double.MinValue, false);
                    yield return With("negative", -1, false);
                    yield return With("fraction", 1.5, input && type == "integer");
                    break;
                case "boolean":
                    yield return With("string", "yes", input);
                    break;
                case "string":
                    yield return With("number", 12345, input);
                    yield return With("NUL", "a\u0000b", input);
                    foreach (var text in HostileText) yield return With(Short(text), text, false);
                    if (schema?["format"]?.GetValue<string>() is "date" or "date-time")
                    {
                        var date = schema["format"]!.GetValue<string>() == "date";
                        yield return With("0001-01-01", date ? "0001-01-01" : "0001-01-01T00:00:00+14:00", input);
                        yield return With("9999-12-31", date ? "9999-12-31" : "9999-12-31T23:59:59-14:00", input);
                        yield return With("2026-02-30", date ? "2026-02-30" : "2026-02-30T10:00:00Z", input);
                    }
                    break;
                case "array":
                    yield return With("string", "abc", input);
                    yield return With("[null]", new JsonArray((JsonNode?)null), !ApiOperations.Nullable(ApiOperations.Resolve(document, schema?["items"])));
                    yield return With("200 items", new JsonArray(Enumerable.Range(0, 200).Select(i => ApiOperations.Example(document, schema?["items"])).ToArray()), false);
                    break;
            }
        }
    }

    static byte[]? DefaultBody(string? type) => type switch
    {
        null => null,
        "application/x-www-form-urlencoded" => "From=%2B33612345678&Body=OUI&MessageSid=SM1"u8.ToArray(),
        _ => "x"u8.ToArray(),
    };

    static IEnumerable<string> Texts(string? type) => type switch
    {
        "text/csv" =>
        [
            "cardNumber,barcode,loanedOn,dueOn\nP0001,T0001,0001-01-01,9999-12-31\n",
            "barcode,status,dueOn\nT0001,onLoan,9999-12-31\n",
            "recordId,title\n" + "x\u0000,y\n",
            "\"unterminated\n", new string(',', 10000) + "\n", "a\n" + string.Join("\n", Enumerable.Repeat("'; drop table copies; --", 50)),
        ],
        "application/x-www-form-urlencoded" => ["Body=ANNULER&From=x&MessageSid=SM%00", "%%%", "a=" + new string('b', 5000), "MessageStatus=delivered&MessageSid=SMx"],
        _ => ["--boundary\r\n\r\n", "garbage"],
    };

    static string Short(string value) => value.Length > 24 ? value[..12] + $"…({value.Length})" : value;
}
