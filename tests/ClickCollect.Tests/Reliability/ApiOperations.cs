using System.Text.Json.Nodes;
using ClickCollect.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ClickCollect.Tests.Reliability;

/// <summary>One operation of the OpenAPI document, with what its endpoint declares about who may call it.</summary>
public sealed record ApiOperation(string Id, string Method, string Path, IReadOnlyList<ApiParameter> Parameters,
    string? BodyType, JsonNode? BodySchema, bool BodyRequired, bool AllowsAnonymous, AuthorizationPolicy? Policy)
{
    public override string ToString() => $"{Method} {Path} ({Id})";
}

public sealed record ApiParameter(string Name, string In, JsonNode? Schema);

/// <summary>
/// Reads every operation from the app's own OpenAPI document (so routes added later are covered without
/// a hand list), joined with the authorization its endpoint declares (metadata, not a copy of it).
/// </summary>
public static class ApiOperations
{
    public static async Task<(IReadOnlyList<ApiOperation> Operations, JsonObject Document)> ReadAsync(TestApp app)
    {
        var document = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!.AsObject();
        var endpoints = app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints)
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName);
        var policies = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();

        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method == "parameters") continue;
                var operation = node!.AsObject();
                var id = operation["operationId"]?.GetValue<string>() ?? $"{method} {path}";
                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(p => new ApiParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), Resolve(document, p["schema"])))
                    .ToList();
                var content = operation["requestBody"]?["content"]?.AsObject();
                var types = content?.Select(c => c.Key).ToList() ?? [];
                var bodyType = types.FirstOrDefault(t => t == "application/json") ?? types.FirstOrDefault(t => t == "application/x-www-form-urlencoded")
                               ?? types.FirstOrDefault();
                var bodyRequired = operation["requestBody"]?["required"]?.GetValue<bool>() == true;
                var bodySchema = bodyType is null ? null : Resolve(document, content![bodyType]!["schema"]);

                var allowsAnonymous = true;
                AuthorizationPolicy? policy = null;
                if (endpoints.TryGetValue(id, out var endpoint))
                {
                    allowsAnonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                    var data = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
                    var declared = endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>();
                    policy = await AuthorizationPolicy.CombineAsync(policies, data, declared);
                    if (policy is null) allowsAnonymous = true;
                }
                operations.Add(new ApiOperation(id, method.ToUpperInvariant(), path, parameters, bodyType, bodySchema, bodyRequired, allowsAnonymous, policy));
            }
        }
        return (operations, document);
    }

    /// <summary>Follows <c>$ref</c> (one level at a time, lazily, so recursive schemas stay finite).</summary>
    public static JsonNode? Resolve(JsonObject document, JsonNode? schema)
    {
        for (var i = 0; i < 10 && schema?["$ref"]?.GetValue<string>() is { } reference; i++)
        {
            var node = (JsonNode?)document;
            foreach (var part in reference.TrimStart('#', '/').Split('/')) node = node?[part];
            schema = node;
        }
        return schema;
    }

    /// <summary>The schema's types (OpenAPI 3.1 lists "null" beside the type of a nullable member).</summary>
    public static IReadOnlyList<string> Types(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue v => [v.GetValue<string>()],
        JsonArray a => a.Select(t => t!.GetValue<string>()).ToList(),
        _ => schema?["properties"] is not null ? ["object"] : [],
    };

    public static bool Nullable(JsonNode? schema) => Types(schema).Contains("null");

    public static string MainType(JsonNode? schema)
    {
        var types = Types(schema).Where(t => t != "null").ToList();
        if (types.Contains("integer")) return "integer";
        if (types.Contains("number")) return "number";
        return types.FirstOrDefault() ?? (schema?["oneOf"] ?? schema?["anyOf"]) switch
        {
            JsonArray options => options.Select(o => MainType(o)).FirstOrDefault(t => t != "") ?? "",
            _ => "",
        };
    }

    /// <summary>A plausible value for <paramref name="schema"/>, so a mutation of one member reaches past the others' checks.</summary>
    public static JsonNode? Example(JsonObject document, JsonNode? schema, int depth = 0)
    {
        schema = Resolve(document, schema);
        if (schema?["enum"] is JsonArray values && values.Count > 0) return values[0]?.DeepClone();
        if (depth > 4) return null;
        return MainType(schema) switch
        {
            "integer" => 1,
            "number" => 1,
            "boolean" => false,
            "string" => schema?["format"]?.GetValue<string>() switch
            {
                "date" => "2026-03-11",
                "date-time" => "2026-03-11T10:00:00+01:00",
                "time" => "10:00:00",
                _ => "x",
            },
            "array" => new JsonArray(Example(document, schema?["items"], depth + 1)),
            "object" => Object(document, schema, depth),
            _ => Resolve(document, (schema?["oneOf"] ?? schema?["anyOf"])?.AsArray().FirstOrDefault()) is { } option && option != schema
                ? Example(document, option, depth + 1)
                : null,
        };
    }

    static JsonObject Object(JsonObject document, JsonNode? schema, int depth)
    {
        var result = new JsonObject();
        foreach (var (name, member) in schema?["properties"]?.AsObject() ?? [])
            result[name] = Example(document, member, depth + 1);
        return result;
    }

    /// <summary>The members of an object schema, with whether each is required and its schema.</summary>
    public static IEnumerable<(string Name, bool Required, JsonNode? Schema)> Members(JsonObject document, JsonNode? schema)
    {
        var required = schema?["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        foreach (var (name, member) in schema?["properties"]?.AsObject() ?? [])
            yield return (name, required.Contains(name), Resolve(document, member));
    }

    /// <summary><paramref name="path"/> with its route values filled in.</summary>
    public static string Fill(string path, Func<string, string> value)
    {
        var result = new System.Text.StringBuilder();
        var i = 0;
        while (i < path.Length)
        {
            var open = path.IndexOf('{', i);
            if (open < 0) { result.Append(path, i, path.Length - i); break; }
            var close = path.IndexOf('}', open);
            result.Append(path, i, open - i).Append(value(path[(open + 1)..close]));
            i = close + 1;
        }
        return result.ToString();
    }

    public static HttpMethod HttpMethodOf(ApiOperation operation) => new(operation.Method);

    public static bool Writes(ApiOperation operation) => operation.Method is not ("GET" or "HEAD" or "OPTIONS");

    /// <summary>Operations that end a session run last, so the identities' tokens serve every other operation first.</summary>
    public static IEnumerable<ApiOperation> InSafeOrder(IEnumerable<ApiOperation> operations) =>
        // Ending sessions last (a staff member's, then one's own), so no identity loses its session midway.
        operations.OrderBy(o => o.Id == "SignOut" ? 2 : o.Id.Contains("Session", StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal);
}
