using System.Net;
using System.Net.Http.Json;
using ClickCollect.Tests.Support;

namespace ClickCollect.Tests.Features.Staff;

/// <summary>Issue 11: directors run staff accounts and the network from the pages; every change is audited with before and after.</summary>
public sealed class StaffAccountsTests
{
    [Fact]
    public async Task A_director_creates_an_account_changes_its_password_and_disables_it_each_step_audited()
    {
        await using var app = await TestApp.StartAsync();
        var director = await app.StaffClientAsync("director");
        var home = await Library.PickupPointIdAsync(app, Library.Quarter);

        var created = await Library.ReadAsync(await director.PostAsJsonAsync("/api/staff", new
        {
            username = "agathe", displayName = "Agathe Roux", role = "counter", password = "premier-mot-de-passe", homePickupPointId = home,
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(home, created.GetProperty("homePickupPointId").GetInt64());
        Assert.False(created.TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.OK, (await SignIn(app, "agathe", "premier-mot-de-passe")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await director.PostAsJsonAsync($"/api/staff/{id}/password", new { password = "second-mot-de-passe" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignIn(app, "agathe", "premier-mot-de-passe")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignIn(app, "agathe", "second-mot-de-passe")).StatusCode);

        var disabled = await Library.ReadAsync(await director.PutAsJsonAsync($"/api/staff/{id}", new
        {
            displayName = "Agathe Roux", role = "librarian", homePickupPointId = (long?)null, active = false,
        }), HttpStatusCode.OK);
        Assert.False(disabled.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignIn(app, "agathe", "second-mot-de-passe")).StatusCode);

        var audit = await Library.ReadAsync(await director.GetAsync($"/api/audit?entity=staff&entityId={id}"), HttpStatusCode.OK);
        Assert.Equal(["staff.disabled", "staff.passwordReset", "staff.created"], audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        var change = audit[0].GetProperty("details");
        Assert.Equal("counter", change.GetProperty("before").GetProperty("role").GetString());
        Assert.Equal("librarian", change.GetProperty("after").GetProperty("role").GetString());
        Assert.DoesNotContain("mot-de-passe", audit.GetRawText());
        Assert.StartsWith("Jean Moreau", audit[0].GetProperty("actor").GetString());

        // A director cannot disable their own account.
        var me = await Library.ReadAsync(await director.GetAsync("/api/staff/me"), HttpStatusCode.OK);
        var own = await director.PutAsJsonAsync($"/api/staff/{me.GetProperty("id").GetInt64()}", new { displayName = "Jean", role = "director", active = false });
        Assert.Equal(HttpStatusCode.Conflict, own.StatusCode);
    }

    [Fact]
    public async Task Closures_and_opening_changes_are_audited_with_before_and_after()
    {
        await using var app = await TestApp.StartAsync();
        var director = await app.StaffClientAsync("director");
        var point = await Library.PickupPointIdAsync(app, Library.Quarter);

        var closure = await Library.ReadAsync(await director.PostAsJsonAsync($"/api/pickup-points/{point}/closures",
            new { startsOn = "2026-03-17", endsOn = "2026-03-18", reason = "Inventaire" }), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await director.DeleteAsync($"/api/pickup-points/{point}/closures/{closure.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await director.PutAsJsonAsync($"/api/pickup-points/{point}", new { name = "Prés – accueil", active = true })).StatusCode);

        var audit = await Library.ReadAsync(await director.GetAsync($"/api/audit?entity=pickupPoint&entityId={point}"), HttpStatusCode.OK);
        Assert.Equal(["pickupPoint.updated", "closure.removed", "closure.added"], audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(Library.Quarter, audit[0].GetProperty("details").GetProperty("before").GetProperty("name").GetString());
        Assert.Equal("Prés – accueil", audit[0].GetProperty("details").GetProperty("after").GetProperty("name").GetString());
        Assert.Equal("Inventaire", audit[1].GetProperty("details").GetProperty("before").GetProperty("reason").GetString());
    }

    static Task<HttpResponseMessage> SignIn(TestApp app, string username, string password) =>
        app.CreateClient().PostAsJsonAsync("/api/staff/sign-in", new { username, password });
}
