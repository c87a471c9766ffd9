using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.PickLists;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Features.Staff;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Demo;

/// <summary>
/// The demo network (DESIGN.md "Running"), written through the feature stores: a central library
/// with an adult and a youth counter, a neighbourhood library, a bibliobus with three stops, one
/// staff member per role, patrons P0001–P0050 and the sample catalogue. Only with Demo:Seed=true,
/// only into an empty database; never in production.
/// </summary>
internal sealed class DemoSeed(Db db, BranchStore branches, BibliobusStore bibliobuses, SlotStore slots, StaffStore staff, PatronStore patrons,
    CatalogueImport catalogue, PickListStore pickLists, PasswordHashing hashing, TimeProvider clock, ILogger<DemoSeed> logger,
    DemoHistory history, IConfiguration configuration)
{
    public const string StaffPassword = "clickcollect-demo";
    public const string PatronPin = "1234";

    public async Task SeedAsync(CancellationToken ct)
    {
        if (!await SeedNetworkAsync(ct)) return;
        // Past activity for the figures (Demo:History, default true; the tests' template goes without it).
        // After the network's unit of work is over: SQLite has one writer.
        if (configuration.GetValue("Demo:History", true))
        {
            await history.WriteAsync(ct);
            logger.LogInformation("Demo activity of the past {Days} days seeded.", DemoHistory.Days);
        }
    }

    async Task<bool> SeedNetworkAsync(CancellationToken ct)
    {
        await using var uow = await db.WriteAsync(ct);
        if (await uow.QuerySingleAsync<long>("select count(*) from branches", null, ct) > 0)
        {
            logger.LogInformation("Demo data already present: nothing seeded.");
            return false;
        }
        // Drive hours as in 2020: short slots, a few patrons each, mornings and afternoons.
        OpeningWindow[] adults = [.. Days(2, 6, new(10, 0), new(12, 0), 15, 4), .. Days(2, 6, new(14, 0), new(18, 0), 15, 4)];
        OpeningWindow[] youth = [new(3, new(10, 0), new(12, 0), 20, 3), new(3, new(14, 0), new(17, 30), 20, 3),
            new(6, new(10, 0), new(12, 0), 20, 3), new(6, new(14, 0), new(17, 30), 20, 3)];
        OpeningWindow[] quarterHours = [new(2, new(14, 0), new(18, 0), 20, 3), new(3, new(14, 0), new(18, 0), 20, 3),
            new(5, new(14, 0), new(18, 0), 20, 3), new(6, new(10, 0), new(12, 30), 20, 3)];
        var central = await CreateBranchAsync(uow, new("CENTRALE", "Médiathèque centrale", null,
            "1 place de l'Hôtel de Ville, 71100 Chalon-sur-Saône", "03 85 90 00 10"), [("Adultes", adults), ("Jeunesse", youth)], ct);
        var quarter = await CreateBranchAsync(uow, new("PRES", "Médiathèque des Prés-Saint-Jean", null,
            "12 rue des Prés-Saint-Jean, 71100 Chalon-sur-Saône", "03 85 90 00 20"), [("Accueil", quarterHours)], ct);
        await CreateBibliobusAsync(uow, central, ct);
        await CreateStaffAsync(uow, central, ct);
        await CreatePatronsAsync(uow, [central, quarter], ct);
        // The way staff walk each building, entrance first (pick lists follow it).
        await pickLists.SaveShelfOrderAsync(uow, central, DemoCatalogue.CentralWalk, ct);
        await pickLists.SaveShelfOrderAsync(uow, quarter, DemoCatalogue.QuarterWalk, ct);
        var report = await catalogue.ImportAsync(uow, DemoCatalogue.Rows(), ct);
        if (report.Rejected.Count > 0)
            throw new InvalidOperationException($"Demo catalogue refused: line {report.Rejected[0].Line}, {report.Rejected[0].Reason}");
        await uow.CommitAsync(ct);
        logger.LogInformation("Demo network, staff, patrons and {Titles} titles with {Copies} copies seeded.", report.TitlesCreated, report.CopiesCreated);
        return true;
    }

    async Task<long> CreateBranchAsync(UnitOfWork uow, BranchRequest branch, (string Name, OpeningWindow[] Hours)[] counters, CancellationToken ct)
    {
        var id = (await branches.CreateAsync(uow, branch, ct))!.Value;
        foreach (var (name, hours) in counters)
        {
            var counter = await branches.CreateCounterAsync(uow, id, name, $"{branch.Name} – {name}", ct);
            await slots.SaveOpeningAsync(uow, counter.PickupPointId, new OpeningRequest(120, 14, 5, 30, 4, hours), ct);
        }
        return id;
    }

    static IEnumerable<OpeningWindow> Days(int fromWeekday, int toWeekday, TimeOnly start, TimeOnly end, int minutes, int capacity) =>
        Enumerable.Range(fromWeekday, toWeekday - fromWeekday + 1).Select(d => new OpeningWindow(d, start, end, minutes, capacity));

    async Task CreateBibliobusAsync(UnitOfWork uow, long homeBranch, CancellationToken ct)
    {
        var bus = await bibliobuses.CreateAsync(uow, new BibliobusRequest(homeBranch, "Bibliobus"), ct);
        var route = (await bibliobuses.CreateRouteAsync(uow, bus, "Tournée des quartiers", ct))!.Value;
        StopRequest[] stops =
        [
            new("Place de Bourgogne", "Place de Bourgogne", 1, [new(2, new(9, 30), new(11, 30)), new(5, new(9, 30), new(11, 30))]),
            new("Les Aubépins – école", "Rue des Aubépins", 2, [new(3, new(14, 0), new(16, 30))]),
            new("Saint-Rémy – mairie", "Place de la Mairie, Saint-Rémy", 3, [new(5, new(16, 0), new(18, 30))]),
        ];
        foreach (var stop in stops)
            await bibliobuses.CreateStopAsync(uow, route, stop, $"Bibliobus – {stop.Name}", ct);
    }

    async Task CreateStaffAsync(UnitOfWork uow, long branch, CancellationToken ct)
    {
        var hash = hashing.Hash(StaffPassword);
        await staff.CreateAsync(uow, "counter", "Camille Martin (accueil)", Roles.Counter, branch, hash, ct);
        await staff.CreateAsync(uow, "librarian", "Sophie Bernard (bibliothécaire)", Roles.Librarian, branch, hash, ct);
        await staff.CreateAsync(uow, "director", "Jean Moreau (direction)", Roles.Director, branch, hash, ct);
    }

    static readonly string[] FirstNames =
    [
        "Marie", "Jean", "Nathalie", "Pierre", "Isabelle", "Michel", "Sylvie", "Philippe", "Catherine", "Alain",
        "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Louis", "Inès", "Gabriel", "Jade", "Raphaël",
        "Émilie", "Thomas", "Sarah", "Nicolas", "Camille", "Julien", "Océane", "Mathieu", "Zoé", "Antoine",
    ];

    static readonly string[] LastNames =
    [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
        "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
        "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    ];

    async Task CreatePatronsAsync(UnitOfWork uow, long[] branchIds, CancellationToken ct)
    {
        // One hash for every demo PIN: the seed stays fast, and each still verifies as "1234".
        var pin = hashing.Hash(PatronPin);
        var now = clock.GetUtcNow();
        for (var n = 1; n <= 50; n++)
        {
            var first = FirstNames[(n * 7) % FirstNames.Length];
            var last = LastNames[n - 1];
            // Two patrons in three have a mobile number; of those, most accept SMS.
            var phone = n % 3 == 0 ? null : $"+336{12345600 + n:D8}";
            var consent = phone is not null && n % 5 != 1;
            var email = n % 2 == 0 ? $"{Ascii(first)}.{Ascii(last)}@example.org" : null;
            await patrons.CreateAsync(uow, new NewPatron($"P{n:D4}", pin, first, last, phone, email, consent,
                branchIds[n % branchIds.Length], now), ct);
        }
    }

    static string Ascii(string name) =>
        new string(name.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetter).ToArray()).ToLowerInvariant();
}

internal static class DemoSetup
{
    public static void AddDemo(this IServiceCollection services)
    {
        services.AddSingleton<DemoSeed>();
        services.AddSingleton<DemoHistory>();
    }
}
