using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.Staff;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;

namespace ClickCollect.BrowserTests.Support;

/// <summary>
/// The demo accounts the journeys sign in with (DESIGN.md: patrons P0001… with PIN 1234; staff counter,
/// librarian and director with password clickcollect-demo). The demo seed makes them when it runs;
/// otherwise they are created here the way the seed does, through the stores, so the journeys are
/// real either way. An account that already exists is used as it is.
/// </summary>
static class DemoAccounts
{
    public const string Pin = "1234";
    public const string Password = TestApp.DemoPassword;

    public static async Task<PatronRow> PatronAsync(TestApp app, string cardNumber = "P0001",
        string firstName = "Camille", string lastName = "Lefèvre", string? phone = "+33612345678")
    {
        var patrons = app.Service<PatronStore>();
        if (await patrons.FindByCardAsync(cardNumber, CancellationToken.None) is { } existing) return existing;
        var patron = new NewPatron(cardNumber, app.Service<PasswordHashing>().Hash(Pin), firstName, lastName, phone,
            $"{cardNumber.ToLowerInvariant()}@example.fr", SmsConsent: phone is not null, HomeBranchId: null, app.Clock.GetUtcNow());
        await app.Service<Db>().WriteAsync(uow => patrons.CreateAsync(uow, patron, CancellationToken.None), CancellationToken.None);
        return (await patrons.FindByCardAsync(cardNumber, CancellationToken.None))!;
    }

    static readonly Dictionary<string, string> StaffNames = new()
    {
        [Roles.Counter] = "Karim Benali",
        [Roles.Librarian] = "Sophie Marchand",
        [Roles.Director] = "Claire Dubois",
    };

    /// <summary>The demo staff member whose username is their role: counter, librarian or director.</summary>
    public static async Task<StaffRow> StaffAsync(TestApp app, string role = Roles.Director)
    {
        var staff = app.Service<StaffStore>();
        var hash = app.Service<PasswordHashing>().Hash(Password);
        var id = await app.Service<Db>().WriteAsync(
            uow => staff.CreateAsync(uow, role, StaffNames[role], role, branchId: null, hash, CancellationToken.None), CancellationToken.None);
        var rows = await staff.ListAsync(CancellationToken.None);
        return id is { } created ? rows.Single(r => r.Id == created) : rows.Single(r => r.Username == role);
    }
}
