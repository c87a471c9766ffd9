namespace ClickCollect.Api.Features.Network;

internal static class NetworkEndpoints
{
    public static void AddNetwork(this IServiceCollection services)
    {
        services.AddSingleton<BranchStore>();
    }

    public static void MapNetwork(this IEndpointRouteBuilder api)
    {
    }
}
