using ClickCollect.Api.Infrastructure.Database;
using FluentValidation;

namespace ClickCollect.Api.Features.Network;

/// <summary>The library network: branches and counters, bibliobuses with routes and stops, pickup points.</summary>
internal static class NetworkEndpoints
{
    public static void AddNetwork(this IServiceCollection services)
    {
        DapperSetup.AddEnum<PickupPointKind>();
        DapperSetup.AddEnum<StopExceptionKind>();
        services.AddSingleton<BranchStore>();
        services.AddSingleton<BibliobusStore>();
        services.AddSingleton<PickupPointStore>();
        services.AddSingleton<IValidator<BranchRequest>, BranchRequestValidator>();
        services.AddSingleton<IValidator<CounterRequest>, CounterRequestValidator>();
        services.AddSingleton<IValidator<BibliobusRequest>, BibliobusRequestValidator>();
        services.AddSingleton<IValidator<RouteRequest>, RouteRequestValidator>();
        services.AddSingleton<IValidator<StopRequest>, StopRequestValidator>();
        services.AddSingleton<IValidator<StopException>, StopExceptionValidator>();
        services.AddSingleton<IValidator<PickupPointRequest>, PickupPointRequestValidator>();
    }

    public static void MapNetwork(this IEndpointRouteBuilder api)
    {
        api.MapBranches();
        api.MapBibliobuses();
        api.MapPickupPoints();
    }
}
