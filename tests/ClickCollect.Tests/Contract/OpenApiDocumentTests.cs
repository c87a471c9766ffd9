using System.Text.Json;
using ClickCollect.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ClickCollect.Tests.Contract;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_committed_openapi_document_is_the_one_the_app_serves()
    {
        await using var app = await TestApp.StartAsync();
        var served = await app.CreateClient().GetStringAsync("/openapi/v1.json");
        var committed = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "openapi", "v1.json"));
        if (Normalise(committed) != Normalise(served))
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "clickcollect-openapi-served.json"), served);
        Assert.True(Normalise(committed) == Normalise(served),
            "openapi/v1.json is stale: run `make openapi` and commit the file.");
    }

    [Fact]
    public async Task The_public_contract_paths_are_in_the_document()
    {
        await using var app = await TestApp.StartAsync();
        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[] { "/health", "/api/staff/sign-in", "/api/patrons/sign-in", "/api/pickup-points" })
            Assert.Contains(path, paths);
    }

    [Fact]
    public async Task Every_api_route_declares_who_may_call_it()
    {
        await using var app = await TestApp.StartAsync();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true);
        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
            .Select(e => e.DisplayName).ToList();
        Assert.Empty(undeclared);
    }

    /// <summary>Compact JSON without "servers", which the served copy fills from the request's host.</summary>
    static string Normalise(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("servers");
        return node.ToJsonString();
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClickCollect.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ClickCollect.sln not found above the test binaries.");
    }
}
