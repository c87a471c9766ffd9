using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Tests.Support;

/// <summary>
/// Prerequisite rows for tests, as plain inserts through the app's <see cref="Db"/>.
/// REVIEW: route these through the network store once Features/Network has one.
/// </summary>
internal static class Seed
{
    /// <summary>A branch with this code (its name is "Bibliothèque &lt;code&gt;"); returns its id.</summary>
    public static Task<long> BranchAsync(TestApp app, string code) =>
        InsertAsync(app, "insert into branches (code, name) values (@Code, @Name) returning id", new { Code = code, Name = $"Bibliothèque {code}" });

    /// <summary>A counter in the branch and its pickup point; returns the pickup point id.</summary>
    public static async Task<long> CounterPickupPointAsync(TestApp app, long branchId, string name = "Adultes")
    {
        var counterId = await InsertAsync(app, "insert into counters (branch_id, name) values (@BranchId, @Name) returning id", new { BranchId = branchId, Name = name });
        return await InsertAsync(app, "insert into pickup_points (kind, counter_id, name) values ('counter', @CounterId, @Name) returning id",
            new { CounterId = counterId, Name = name });
    }

    /// <summary>A bibliobus based at the branch, a route with one stop, and the stop's pickup point; returns the pickup point id.</summary>
    public static async Task<long> StopPickupPointAsync(TestApp app, long homeBranchId, string name = "Place de l'Église")
    {
        var busId = await InsertAsync(app, "insert into bibliobuses (home_branch_id, name) values (@BranchId, 'Bibliobus') returning id", new { BranchId = homeBranchId });
        var routeId = await InsertAsync(app, "insert into routes (bibliobus_id, name) values (@BusId, 'Tournée du mardi') returning id", new { BusId = busId });
        var stopId = await InsertAsync(app, "insert into stops (route_id, name, position) values (@RouteId, @Name, 1) returning id", new { RouteId = routeId, Name = name });
        return await InsertAsync(app, "insert into pickup_points (kind, stop_id, name) values ('bibliobusStop', @StopId, @Name) returning id",
            new { StopId = stopId, Name = name });
    }

    static Task<long> InsertAsync(TestApp app, string sql, object parameters) =>
        app.Service<Db>().WriteAsync(uow => uow.QuerySingleAsync<long>(sql, parameters, CancellationToken.None), CancellationToken.None);
}
