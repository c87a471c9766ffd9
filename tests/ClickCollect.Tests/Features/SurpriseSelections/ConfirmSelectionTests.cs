using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Features.SurpriseSelections.SelectionKit;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.SurpriseSelections;

public abstract class ConfirmSelectionTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task Confirming_places_selection_holds_on_the_chosen_copies_which_join_the_pick_list_and_the_patron_is_told()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var patron = await PatronAsync(app, "P0001");
        var id = await CreateAsync(patron, Tastes(adults, 4));
        var librarian = await app.StaffClientAsync("librarian");
        var copies = CopyIds(await ProposeAsync(librarian, id));

        var confirmed = await ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm",
            new { copyIds = copies, note = "Le troisième est mon préféré !" }), HttpStatusCode.OK);

        Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());
        var holds = confirmed.GetProperty("holds").EnumerateArray().ToList();
        Assert.Equal(copies.Order(), holds.Select(h => h.GetProperty("copyId").GetInt64()).Order());
        Assert.All(holds, h =>
        {
            Assert.Equal("selection", h.GetProperty("channel").GetString());
            Assert.Contains(h.GetProperty("status").GetString(), new[] { "toPick", "inTransit" });
            Assert.Equal("P0001", h.GetProperty("patronCardNumber").GetString());
        });
        var pickList = await (await app.StaffClientAsync("counter")).GetFromJsonAsync<JsonElement>($"/api/pick-lists/{adults}/{Today(app)}");
        var lines = pickList.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("lines").EnumerateArray())
            .Select(l => l.GetProperty("holdId").GetInt64()).ToList();
        Assert.All(holds, h => Assert.Contains(h.GetProperty("id").GetInt64(), lines));
        Assert.Equal(1, await CountAsync(app,
            "select count(*) from sms_outbox where kind = 'selectionReady' and body like '%4 documents%' and body like '%mon préféré%' and dedupe_key = @key",
            new { key = $"selection:{id}" }));
        Assert.Equal(0, await CountAsync(app, "select count(*) from selection_items"));
        var mine = await patron.GetFromJsonAsync<JsonElement[]>("/api/holds");
        Assert.Equal(4, mine!.Count(h => h.GetProperty("channel").GetString() == "selection"));
        await ProblemAssert.IsProblemAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = copies }),
            HttpStatusCode.Conflict, "selection_closed");
    }

    [Fact]
    public async Task The_librarians_note_reaches_a_patron_without_a_mobile_on_their_account_once_confirmed_and_not_before()
    {
        // Issue 10 item 6: with no mobile number the SMS is skipped, but the note stays on the request for "Mon compte".
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var patron = await PatronAsync(app, "P0001");
        await ReadAsync(await patron.PutAsJsonAsync("/api/patrons/me/contact", new { phone = (string?)null, smsConsent = false }), HttpStatusCode.OK);
        var id = await CreateAsync(patron, Tastes(adults, 2));
        var librarian = await app.StaffClientAsync("librarian");
        var copies = CopyIds(await ProposeAsync(librarian, id));
        await ReadAsync(await librarian.PutAsJsonAsync($"/api/selection-requests/{id}/note", new { note = "Brouillon" }), HttpStatusCode.OK);
        var draft = (await patron.GetFromJsonAsync<JsonElement[]>("/api/selection-requests"))!.Single(r => r.GetProperty("id").GetInt64() == id);
        Assert.Equal("", draft.GetProperty("librarianNote").GetString()); // a draft is the librarian's until confirmed

        await ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm",
            new { copyIds = copies, note = "Le deuxième est un coup de cœur." }), HttpStatusCode.OK);

        var mine = (await patron.GetFromJsonAsync<JsonElement[]>("/api/selection-requests"))!.Single(r => r.GetProperty("id").GetInt64() == id);
        Assert.Equal("Le deuxième est un coup de cœur.", mine.GetProperty("librarianNote").GetString());
        Assert.NotEqual(JsonValueKind.Null, mine.GetProperty("confirmedAt").ValueKind);
        Assert.Equal(1, await CountAsync(app, "select count(*) from sms_outbox where dedupe_key = @key and status = 'skipped'", new { key = $"selection:{id}" }));
    }

    [Fact]
    public async Task A_retried_confirmation_with_the_same_idempotency_key_replays_the_answer_and_places_nothing_twice()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var id = await CreateAsync(await PatronAsync(app, "P0003"), Tastes(adults, 2));
        var librarian = await app.StaffClientAsync("librarian");
        var copies = CopyIds(await ProposeAsync(librarian, id));
        librarian.DefaultRequestHeaders.Add("Idempotency-Key", $"confirm-{id}");

        var first = await ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = copies }), HttpStatusCode.OK);
        var retried = await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = copies });

        Assert.Equal("true", retried.Headers.GetValues("Idempotent-Replayed").Single());
        var again = await ReadAsync(retried, HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("holds").EnumerateArray().Select(h => h.GetProperty("id").GetInt64()),
            again.GetProperty("holds").EnumerateArray().Select(h => h.GetProperty("id").GetInt64()));
        Assert.Equal(2, await CountAsync(app, "select count(*) from holds where channel = 'selection'"));
        Assert.Equal(1, await CountAsync(app, "select count(*) from sms_outbox where kind = 'selectionReady'"));
    }

    [Fact]
    public async Task A_copy_taken_meanwhile_refuses_the_whole_confirmation_naming_it_and_nothing_is_written()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var id = await CreateAsync(await PatronAsync(app, "P0002"), Tastes(adults, 3));
        var librarian = await app.StaffClientAsync("librarian");
        var copies = CopyIds(await ProposeAsync(librarian, id));
        // Meanwhile a reader on the web reserves exactly the second copy.
        await ReadAsync(await (await PatronAsync(app, "P0030")).PostAsJsonAsync("/api/holds", new { copyId = copies[1], pickupPointId = adults }), HttpStatusCode.Created);

        var refused = await ProblemAssert.IsProblemAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = copies }),
            HttpStatusCode.Conflict, "copy_unavailable", "copyIds[1]");

        Assert.Equal(copies[1], refused.GetProperty("copyId").GetInt64());
        Assert.Contains("n'est plus disponible", refused.GetProperty("detail").GetString());
        Assert.Equal(0, await CountAsync(app, "select count(*) from holds where channel = 'selection'"));
        Assert.Equal(0, await CountAsync(app, "select count(*) from sms_outbox where kind = 'selectionReady'"));
        Assert.Equal(2, await CountAsync(app, $"select count(*) from copies where status = 'onShelf' and id in ({copies[0]}, {copies[2]})"));
        var detail = await librarian.GetFromJsonAsync<JsonElement>($"/api/selection-requests/{id}");
        Assert.Equal("proposed", detail.GetProperty("status").GetString());

        // Without it, the confirmation goes through.
        await ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = new[] { copies[0], copies[2] } }), HttpStatusCode.OK);
        Assert.Equal(2, await CountAsync(app, "select count(*) from holds where channel = 'selection'"));
    }

    [Fact]
    public async Task Two_librarians_confirming_the_same_copy_at_once_give_it_to_one_request_only()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (_, copies) = await TitleAsync(app, "CENTRALE");
        var (_, spare) = await TitleAsync(app, "CENTRALE");
        var wanted = new { pickupPointId = adults, count = 1, likedAuthors = new[] { "Auteur Test" } };
        var a = await CreateAsync(await PatronAsync(app, "P0011"), wanted);
        var b = await CreateAsync(await PatronAsync(app, "P0012"), wanted);
        var first = await LibrarianAsync(app);
        var second = await LibrarianAsync(app);
        await ReadAsync(await first.PostAsync($"/api/selection-requests/{a}/claim", null), HttpStatusCode.OK);
        await ReadAsync(await second.PostAsync($"/api/selection-requests/{b}/claim", null), HttpStatusCode.OK);

        // Both want the same copy, plus one each of a title with a single copy: all or none.
        var responses = await Task.WhenAll(
            Task.Run(() => first.PostAsJsonAsync($"/api/selection-requests/{a}/confirm", new { copyIds = new[] { spare[0], copies[0] } })),
            Task.Run(() => second.PostAsJsonAsync($"/api/selection-requests/{b}/confirm", new { copyIds = new[] { copies[0] } })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await CountAsync(app, "select count(*) from holds where copy_id = @copy", new { copy = copies[0] }));
        var winner = responses[0].StatusCode == HttpStatusCode.OK ? a : b;
        Assert.Equal(winner == a ? 2 : 1, await CountAsync(app, "select count(*) from holds where channel = 'selection'"));
        Assert.Equal(1, await CountAsync(app, "select count(*) from selection_requests where status = 'confirmed'"));
    }

    [Fact]
    public async Task A_recurring_selection_opens_its_next_occurrence_after_the_interval_and_does_not_repeat_titles()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var patron = await PatronAsync(app, "P0013");
        var id = await CreateAsync(patron, new { pickupPointId = adults, count = 3, genres = new[] { "Bande dessinée" }, repeatEveryWeeks = 2, repeatTimes = 2 });
        var librarian = await app.StaffClientAsync("librarian");
        var first = await ProposeAsync(librarian, id);
        await ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = CopyIds(first) }), HttpStatusCode.OK);

        var next = (await patron.GetFromJsonAsync<JsonElement[]>("/api/selection-requests"))!.Single(r => r.GetProperty("id").GetInt64() != id);
        Assert.Equal((2, id, "open"), (next.GetProperty("occurrence").GetInt32(), next.GetProperty("firstRequestId").GetInt64(), next.GetProperty("status").GetString()));
        Assert.Equal(app.Clock.GetUtcNow().AddDays(14), next.GetProperty("opensAt").GetDateTimeOffset());
        var nextId = next.GetProperty("id").GetInt64();
        Assert.DoesNotContain((await librarian.GetFromJsonAsync<JsonElement[]>($"/api/selection-requests?pickupPointId={adults}"))!,
            r => r.GetProperty("id").GetInt64() == nextId);
        await ProblemAssert.IsProblemAsync(await librarian.PostAsync($"/api/selection-requests/{nextId}/proposal", null), HttpStatusCode.Conflict, "selection_not_due");

        app.Clock.Advance(TimeSpan.FromDays(14));
        librarian = await app.StaffClientAsync("librarian"); // tokens of two weeks ago have expired
        patron = await PatronAsync(app, "P0013");
        Assert.Contains((await librarian.GetFromJsonAsync<JsonElement[]>($"/api/selection-requests?pickupPointId={adults}"))!,
            r => r.GetProperty("id").GetInt64() == nextId);
        var second = await ProposeAsync(librarian, nextId);
        Assert.Empty(TitleIds(second).Intersect(TitleIds(first)));
        await ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{nextId}/confirm", new { copyIds = CopyIds(second) }), HttpStatusCode.OK);
        Assert.Equal(2, (await patron.GetFromJsonAsync<JsonElement[]>("/api/selection-requests"))!.Length); // two times in all
    }

    [Fact]
    public async Task Past_loans_are_read_only_with_the_patrons_consent()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (read, readCopies) = await TitleAsync(app, "CENTRALE");
        var (unread, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0014");
        // A loan last month, brought over from the library system and since returned.
        var director = await app.StaffClientAsync("director");
        await using (var c = await app.Service<ClickCollect.Api.Infrastructure.Database.Db>().OpenAsync(default))
        {
            var barcode = await Dapper.SqlMapper.ExecuteScalarAsync<string>(c, "select barcode from copies where id = @id", new { id = readCopies[0] });
            await ReadAsync(await director.PostAsync("/api/loans/import", new StringContent(
                $"cardNumber,barcode,loanedOn,dueOn\nP0014,{barcode},2026-02-08,2026-03-08\n", System.Text.Encoding.UTF8, "text/csv")), HttpStatusCode.OK);
            await ReadAsync(await director.PostAsJsonAsync("/api/loans/returns", new { barcode }), HttpStatusCode.OK);
        }
        var librarian = await app.StaffClientAsync("librarian");

        var withoutConsent = await CreateAsync(patron, new { pickupPointId = adults, count = 2, likedAuthors = new[] { "Auteur Test" }, useHistory = false });
        Assert.Contains(read, TitleIds(await ProposeAsync(librarian, withoutConsent)));
        await ReadAsync(await patron.PostAsync($"/api/selection-requests/{withoutConsent}/cancel", null), HttpStatusCode.OK);

        var withConsent = await CreateAsync(patron, new { pickupPointId = adults, count = 2, likedAuthors = new[] { "Auteur Test" }, useHistory = true });
        var proposal = await ProposeAsync(librarian, withConsent);
        Assert.DoesNotContain(read, TitleIds(proposal));
        Assert.Contains(unread, TitleIds(proposal));
        Assert.Equal(1, proposal.GetProperty("excluded").GetProperty("alreadyHad").GetInt32());
    }
}

public sealed class ConfirmSelectionTests_Sqlite : ConfirmSelectionTests<SqliteTestDatabase>;
public sealed class ConfirmSelectionTests_Postgres : ConfirmSelectionTests<PostgresTestDatabase>;
