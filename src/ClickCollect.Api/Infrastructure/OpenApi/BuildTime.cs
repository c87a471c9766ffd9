using System.Reflection;

namespace ClickCollect.Api.Infrastructure.OpenApi;

internal static class BuildTime
{
    /// <summary>
    /// True while the build runs the app to write openapi/v1.json: then nothing may touch the
    /// database or start background work (PLATFORM.md: an unguarded migration created a file at build).
    /// </summary>
    public static bool IsGeneratingOpenApiDocument =>
        Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";
}
