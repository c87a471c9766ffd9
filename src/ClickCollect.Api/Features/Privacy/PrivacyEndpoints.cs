using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Privacy;

internal static class PrivacyEndpoints
{
    public static void AddPrivacy(this IServiceCollection services)
    {
        services.AddSingleton<PatronAccessLog>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.IsValid, "Retention: every period must be positive (months between 1 and 120).").ValidateOnStart();
        services.AddSingleton<RetentionStore>();
        services.AddSingleton<AuditScrub>();
        services.AddSingleton<RetentionJob>();
        services.AddSingleton<PatronDataStore>();
        services.AddSingleton<ErasePatron>();
        services.AddSingleton<FluentValidation.IValidator<DeclineErasureRequest>, DeclineErasureRequestValidator>();
        services.AddHostedService<RetentionWorker>();
    }

    public static void MapPrivacy(this IEndpointRouteBuilder api)
    {
        api.MapPatronData();
        api.MapGet("/patron-access-log", AccessLog).WithName("ListPatronAccessLog").WithTags("Privacy")
            .WithSummary("Who opened, exported or erased which patron's record, when and from which page (newest first, kept a year)")
            .RequireAuthorization(Policies.Director).ProducesProblem(StatusCodes.Status404NotFound);
    }

    static async Task<Results<Ok<IReadOnlyList<PatronAccessEntry>>, ProblemHttpResult>> AccessLog(string? patronCardNumber, long? staffId, int? limit,
        PatronAccessLog log, PatronStore patrons, CancellationToken ct)
    {
        long? patronId = null;
        if (!string.IsNullOrWhiteSpace(patronCardNumber))
        {
            if (await patrons.FindByCardAsync(patronCardNumber.Trim(), ct) is not { } patron) return Problems.NotFound("La carte", patronCardNumber);
            patronId = patron.Id;
        }
        return TypedResults.Ok(await log.ListAsync(patronId, staffId, Math.Clamp(limit ?? 200, 1, 1000), ct));
    }
}
