using ClickCollect.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Audit;

internal static class AuditEndpoints
{
    public static void AddAudit(this IServiceCollection services) => services.AddSingleton<AuditStore>();

    public static void MapAudit(this IEndpointRouteBuilder api)
    {
        api.MapGet("/audit", List).WithName("ListAudit").WithTags("Audit")
            .WithSummary("The audit trail, newest first: lockdown changes and their effects, loan imports, payments, policies")
            .RequireAuthorization(Policies.Director);
    }

    static async Task<Ok<IReadOnlyList<AuditEntry>>> List(string? entity, long? entityId, int? limit, AuditStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(string.IsNullOrWhiteSpace(entity) ? null : entity.Trim(), entityId,
            Math.Clamp(limit ?? 100, 1, 500), ct));
}
