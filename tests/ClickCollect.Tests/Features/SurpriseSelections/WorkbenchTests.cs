using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Features.SurpriseSelections.SelectionKit;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.SurpriseSelections;

public abstract class WorkbenchTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task A_librarian_gets_a_varied_explained_bundle_on_theme_and_available_for_the_pickup_point()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var id = await CreateAsync(await PatronAsync(app, "P0001"), Tastes(adults, 6));
        var librarian = await app.StaffClientAsync("librarian");

        var proposal = await ProposeAsync(librarian, id);

        Assert.Equal("proposed", proposal.GetProperty("status").GetString());
        var items = proposal.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(6, items.Count);
        Assert.All(items, i =>
        {
            Assert.False(string.IsNullOrEmpty(i.GetProperty("title").GetString()));
            Assert.NotEmpty(i.GetProperty("reasons").EnumerateArray());
            Assert.Equal(("adult", "book", "fr"), (i.GetProperty("audience").GetString(), i.GetProperty("format").GetString(), i.GetProperty("language").GetString()));
            Assert.DoesNotContain("Thriller", i.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
            Assert.Contains(i.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("En rayon à", StringComparison.Ordinal));
        });
        // On theme: every item answers a stated taste; Fred Vargas is there, but twice at most.
        Assert.All(items, i => Assert.Contains(i.GetProperty("signals").EnumerateArray(),
            s => s.GetProperty("kind").GetString() is "genre" or "author" or "readAlike"));
        var byVargas = items.Count(i => i.GetProperty("authors").EnumerateArray().Any(a => a.GetString() == "Vargas, Fred"));
        Assert.InRange(byVargas, 1, 2);
        Assert.True(items.GroupBy(i => i.GetProperty("authors")[0].GetString()).All(g => g.Count() <= 2));
        // The copies are on the shelf and now reserved for this request.
        foreach (var copyId in CopyIds(proposal))
            Assert.Equal(1, await CountAsync(app, "select count(*) from copies c join selection_items si on si.copy_id = c.id where c.id = @copyId and c.status = 'onShelf' and si.request_id = @id", new { copyId, id }));
        // The same answer when the request is read back.
        var detail = await librarian.GetFromJsonAsync<JsonElement>($"/api/selection-requests/{id}");
        Assert.Equal(CopyIds(proposal), CopyIds(detail.GetProperty("proposal")));
        Assert.Equal("proposed", detail.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_one_librarian_works_a_request_and_a_lapsed_claim_frees_it()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var id = await CreateAsync(await PatronAsync(app, "P0002"), Tastes(adults, 3));
        var sophie = await app.StaffClientAsync("librarian");
        var other = await LibrarianAsync(app);

        var claimed = await ReadAsync(await sophie.PostAsync($"/api/selection-requests/{id}/claim", null), HttpStatusCode.OK);
        Assert.Equal("claimed", claimed.GetProperty("status").GetString());
        var refused = await ProblemAssert.IsProblemAsync(await other.PostAsync($"/api/selection-requests/{id}/claim", null), HttpStatusCode.Conflict, "selection_claimed");
        Assert.Equal("Sophie Bernard (bibliothécaire)", refused.GetProperty("claimedBy").GetString());
        await ProblemAssert.IsProblemAsync(await other.PostAsync($"/api/selection-requests/{id}/proposal", null), HttpStatusCode.Conflict, "selection_claimed");
        var proposal = await ProposeAsync(sophie, id);
        await ProblemAssert.IsProblemAsync(await other.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = CopyIds(proposal) }),
            HttpStatusCode.Conflict, "selection_claimed");

        app.Clock.Advance(TimeSpan.FromMinutes(31)); // Sophie went for lunch
        var queue = await other.GetFromJsonAsync<JsonElement[]>($"/api/selection-requests?pickupPointId={adults}");
        Assert.Equal("open", queue!.Single(r => r.GetProperty("id").GetInt64() == id).GetProperty("status").GetString());
        await ReadAsync(await other.PostAsync($"/api/selection-requests/{id}/claim", null), HttpStatusCode.OK);
        Assert.Equal(0, await CountAsync(app, "select count(*) from selection_items where request_id = @id", new { id })); // copies freed
        await ProblemAssert.IsProblemAsync(await sophie.PostAsync($"/api/selection-requests/{id}/proposal", null), HttpStatusCode.Conflict, "selection_claimed");
        await ProblemAssert.IsProblemAsync(await sophie.PostAsync($"/api/selection-requests/{id}/release", null), HttpStatusCode.Conflict, "selection_not_yours");
        await ReadAsync(await other.PostAsync($"/api/selection-requests/{id}/release", null), HttpStatusCode.OK);
        await ReadAsync(await sophie.PostAsync($"/api/selection-requests/{id}/claim", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Eight_librarians_claiming_one_request_at_once_leave_exactly_one_claim()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var id = await CreateAsync(await PatronAsync(app, "P0003"), Tastes(adults, 3));
        var librarians = new List<HttpClient>();
        for (var i = 0; i < 8; i++) librarians.Add(await LibrarianAsync(app));

        var responses = await Task.WhenAll(librarians.Select(l => Task.Run(() => l.PostAsync($"/api/selection-requests/{id}/proposal", null))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(3, await CountAsync(app, "select count(*) from selection_items where request_id = @id", new { id }));
    }

    [Fact]
    public async Task Two_open_requests_never_both_get_the_only_copy()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (_, copies) = await TitleAsync(app, "CENTRALE");
        var wanted = new { pickupPointId = adults, count = 1, likedAuthors = new[] { "Auteur Test" } };
        var first = await CreateAsync(await PatronAsync(app, "P0004"), wanted);
        var second = await CreateAsync(await PatronAsync(app, "P0005"), wanted);
        var sophie = await app.StaffClientAsync("librarian");
        var other = await LibrarianAsync(app);

        Assert.Equal([copies[0]], CopyIds(await ProposeAsync(sophie, first)));
        var without = await ProposeAsync(other, second);
        Assert.DoesNotContain(copies[0], CopyIds(without));
        Assert.Equal(1, without.GetProperty("excluded").GetProperty("reservedElsewhere").GetInt32());
        await ProblemAssert.IsProblemAsync(await other.PostAsJsonAsync($"/api/selection-requests/{second}/confirm", new { copyIds = new[] { copies[0] } }),
            HttpStatusCode.Conflict, "copy_unavailable", "copyIds[0]");

        await ReadAsync(await sophie.PostAsync($"/api/selection-requests/{first}/release", null), HttpStatusCode.OK);
        Assert.Equal([copies[0]], CopyIds(await ProposeAsync(other, second)));
    }

    [Fact]
    public async Task A_web_hold_on_a_title_leaves_the_copy_a_proposal_reserves_when_another_copy_is_as_near()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, copies) = await TitleAsync(app, "CENTRALE", "CENTRALE");
        var id = await CreateAsync(await PatronAsync(app, "P0008"), new { pickupPointId = adults, count = 1, likedAuthors = new[] { "Auteur Test" } });
        Assert.Equal([copies[0]], CopyIds(await ProposeAsync(await app.StaffClientAsync("librarian"), id)));

        var hold = await ReadAsync(await (await PatronAsync(app, "P0009")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }),
            HttpStatusCode.Created);

        Assert.Equal(copies[1], hold.GetProperty("copyId").GetInt64());
    }

    [Fact]
    public async Task The_librarian_pins_removes_swaps_and_proposes_again()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var id = await CreateAsync(await PatronAsync(app, "P0006"), Tastes(adults, 4));
        var librarian = await app.StaffClientAsync("librarian");
        var proposal = await ProposeAsync(librarian, id, seed: 1);
        var copies = CopyIds(proposal);
        var titles = TitleIds(proposal);

        await ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/proposal/pin", new { copyId = copies[0] }), HttpStatusCode.OK);
        var afterRemove = await ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/proposal/remove", new { copyId = copies[1] }), HttpStatusCode.OK);
        Assert.Equal([copies[0], copies[2], copies[3]], CopyIds(afterRemove));

        var candidates = await librarian.GetFromJsonAsync<JsonElement[]>($"/api/selection-requests/{id}/candidates?q=policier");
        Assert.NotEmpty(candidates!);
        Assert.All(candidates!, c => Assert.DoesNotContain(c.GetProperty("titleId").GetInt64(), titles));
        Assert.All(candidates!, c => Assert.NotEmpty(c.GetProperty("reasons").EnumerateArray()));
        var pick = candidates![0];
        var swapped = await ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/proposal/swap",
            new { copyId = copies[2], newCopyId = pick.GetProperty("copyId").GetInt64() }), HttpStatusCode.OK);
        var swappedItems = swapped.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(pick.GetProperty("copyId").GetInt64(), swappedItems[1].GetProperty("copyId").GetInt64()); // in the old item's place
        Assert.True(swappedItems[1].GetProperty("pinned").GetBoolean());
        Assert.Contains("Choisi par la bibliothécaire", swappedItems[1].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        await ProblemAssert.IsProblemAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/proposal/swap",
            new { copyId = copies[3], newCopyId = copies[0] }), HttpStatusCode.Conflict, "already_in_bundle");
        await ProblemAssert.IsProblemAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/proposal/remove", new { copyId = copies[1] }),
            HttpStatusCode.NotFound, "not_in_bundle");

        var again = await ProposeAsync(librarian, id);
        Assert.Equal(2, again.GetProperty("seed").GetInt32());
        var againCopies = CopyIds(again);
        Assert.Equal(4, againCopies.Length);
        Assert.Contains(copies[0], againCopies);                                // pinned
        Assert.Contains(pick.GetProperty("copyId").GetInt64(), againCopies);    // chosen by hand, so pinned
        Assert.DoesNotContain(titles[1], TitleIds(again));                       // removed for good
        Assert.DoesNotContain(titles[2], TitleIds(again));                       // swapped out for good
    }

    [Fact]
    public async Task A_note_to_the_patron_and_bad_workbench_input_naming_the_field()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var id = await CreateAsync(await PatronAsync(app, "P0007"), Tastes(adults, 2));
        var librarian = await app.StaffClientAsync("librarian");

        var noted = await ReadAsync(await librarian.PutAsJsonAsync($"/api/selection-requests/{id}/note", new { note = "Bonne lecture, Sophie" }), HttpStatusCode.OK);
        Assert.Equal("Bonne lecture, Sophie", noted.GetProperty("librarianNote").GetString());

        await ProblemAssert.IsProblemAsync(await librarian.PutAsJsonAsync($"/api/selection-requests/{id}/note", new { note = new string('x', 501) }),
            HttpStatusCode.BadRequest, null, "note");
        await ProblemAssert.IsProblemAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = Array.Empty<long>() }),
            HttpStatusCode.BadRequest, null, "copyIds");
        await ProblemAssert.IsProblemAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = new[] { 5L, 5L } }),
            HttpStatusCode.BadRequest, null, "copyIds");
        await ProblemAssert.IsProblemAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = new[] { -1L } }),
            HttpStatusCode.BadRequest, null, "copyIds[0]");
        await ProblemAssert.IsProblemAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/proposal/swap", new { copyId = 3, newCopyId = 3 }),
            HttpStatusCode.BadRequest, null, "newCopyId");
        await ProblemAssert.IsProblemAsync(await librarian.PostAsync("/api/selection-requests/999999/proposal", null), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(0, await CountAsync(app, "select count(*) from holds"));
    }
}

public sealed class WorkbenchTests_Sqlite : WorkbenchTests<SqliteTestDatabase>;
public sealed class WorkbenchTests_Postgres : WorkbenchTests<PostgresTestDatabase>;
