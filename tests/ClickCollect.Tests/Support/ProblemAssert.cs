using System.Net;
using System.Text.Json;

namespace ClickCollect.Tests.Support;

/// <summary>Asserts an RFC 9457 problem: status, content type, and optionally its code and the fields named in errors.</summary>
public static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null, params string[] fields)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        if (code is not null) Assert.Equal(code, problem.GetProperty("code").GetString());
        if (fields.Length > 0)
        {
            var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
            foreach (var field in fields) Assert.Contains(field, errors);
        }
        return problem;
    }
}
