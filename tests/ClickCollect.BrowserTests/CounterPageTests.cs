using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.BrowserTests;

public sealed class CounterPageTests
{
    [Fact]
    public async Task Counter_staff_scan_a_barcode_and_see_the_patron_arrive_without_reloading()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await BookAsync(app, "Les Misérables", "Hugo, Victor", "R HUG", "Romans adultes", "CENTRALE");
        var patron = await PatronAsync(app, "P0001");
        var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
        var appointment = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new
        {
            pickupPointId = point,
            slotStart = "2026-03-10T10:00:00+00:00",
            holdIds = new[] { hold.GetProperty("id").GetInt64() },
        }), HttpStatusCode.Created);
        using var browser = new Browser(site);

        browser.Open($"/staff/#/comptoir?point={point}&date=2026-03-10");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();

        var row = browser.WaitFor($"tr[data-barcode='{hold.GetProperty("barcode").GetString()}']");
        Assert.Contains("Les Misérables", row.Text);
        Assert.Contains("11h00 · P0001", row.Text);
        Assert.Equal("☐", row.FindElement(By.CssSelector(".tick")).Text);
        Assert.Contains("à préparer", browser.WaitFor(".appointment").Text);

        // The scanner types the digits and Enter into the focused field.
        browser.Type("#counter-scan", hold.GetProperty("barcode").GetString() + Keys.Enter);
        Assert.Contains("est prêt", browser.WaitForText(".scan-status.ok", "prêt"));
        browser.WaitUntil(() => browser.Find($"tr[data-barcode='{hold.GetProperty("barcode").GetString()}'] .tick").Text == "☑", "the line is ticked");
        Assert.Contains("sac prêt", browser.WaitForText(".appointment .state", "sac prêt"));

        // The patron says "I'm here" from their phone: the board shows it within one refresh.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 9, 35, 0, TimeSpan.Zero));
        await ReadAsync(await patron.PostAsync($"/api/appointments/{appointment.GetProperty("id").GetInt64()}/arrival", null), HttpStatusCode.OK);
        Assert.Contains("lecteur arrivé", browser.WaitForText(".appointment .state", "arrivé"));
        Assert.NotNull(browser.Find(".appointment.state-arrived"));
        // The sound's visual equivalent, read out too (#19 item 2): who arrived, in a status region, sound off.
        var news = browser.WaitFor(".arrival-news[role=status]");
        Assert.Equal("Arrivée : Philippe Martin (P0001, 11:00)", news.Text);
        Assert.False(browser.Find("label.sound input").Selected);
        browser.Screenshot("counter-arrival");

        // The bag is handed over: a loan with its due date, a receipt to print.
        browser.Find(".appointment button.primary").Click();
        var receipt = browser.WaitFor("dialog.receipt");
        Assert.Contains("Reçu de prêt", receipt.Text);
        Assert.Contains("Les Misérables — à rendre le mardi 7 avril 2026", receipt.Text);
        browser.Screenshot("counter-receipt");
        browser.Find("dialog.receipt button:not(.primary)").Click();
        Assert.Contains("remis", browser.WaitForText(".appointment .state", "remis"));
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task Counter_staff_open_on_their_counter_take_back_a_not_found_report_and_take_a_return_that_feeds_a_queued_hold()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var director = await app.StaffClientAsync("director");
        var counter = (await director.GetFromJsonAsync<JsonElement[]>("/api/staff"))!.Single(s => s.GetProperty("username").GetString() == "counter");
        Assert.Equal(HttpStatusCode.OK, (await director.PutAsJsonAsync($"/api/staff/{counter.GetProperty("id").GetInt64()}", new
        {
            displayName = counter.GetProperty("displayName").GetString(), role = "counter", branchId = (long?)null, homePickupPointId = point, active = true,
        })).StatusCode);

        // A hold to pick today, and a title whose only copy is on loan with a patron queued for it.
        var (title, _) = await BookAsync(app, "Bel-Ami", "Maupassant, Guy de", "R MAU", "Romans adultes", "CENTRALE");
        var patron = await PatronAsync(app, "P0001");
        var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
        await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new
        {
            pickupPointId = point, slotStart = "2026-03-10T10:00:00+00:00", holdIds = new[] { hold.GetProperty("id").GetInt64() },
        }), HttpStatusCode.Created);
        var (lent, _) = await BookAsync(app, "Le Horla", "Maupassant, Guy de", "R MAU", "Romans adultes", "CENTRALE");
        var lentBarcode = (await director.GetFromJsonAsync<JsonElement>($"/api/titles/{lent}")).GetProperty("copies")[0].GetProperty("barcode").GetString()!;
        var loans = new StringContent($"cardNumber,barcode,loanedOn,dueOn\nP0001,{lentBarcode},2026-03-01,2026-03-29\n", System.Text.Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.OK, (await director.PostAsync("/api/loans/import", loans)).StatusCode);
        var queued = await ReadAsync(await (await PatronAsync(app, "P0002")).PostAsJsonAsync("/api/holds", new { titleId = lent, pickupPointId = point }), HttpStatusCode.Created);
        Assert.Equal("queued", queued.GetProperty("status").GetString());

        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow()); // "today" on the page is the app's Tuesday 10 March
        browser.Open("/staff/#/comptoir");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();

        // The screen opens on the member's own counter, today.
        var barcode = hold.GetProperty("barcode").GetString();
        var row = browser.WaitFor($"tr[data-barcode='{barcode}']");
        Assert.Equal(point.ToString(), browser.Find("#counter-point").GetAttribute("value"));
        Assert.Equal("2026-03-10", browser.Find("#counter-date").GetAttribute("value"));

        // "Not on the shelf" asks first, then can be taken back: the line is still there to pick.
        row.FindElement(By.CssSelector("button.link-button")).Click();
        browser.WaitFor($"tr[data-barcode='{barcode}'] button.danger").Click();
        browser.WaitForText(".scan-status.ok", "Bel-Ami");
        browser.Screenshot("counter-not-found");
        browser.WaitFor(".scan-status.ok button.secondary").Click();
        browser.WaitForText(".scan-status.ok", "signalement annulé");
        browser.WaitFor($"tr[data-barcode='{barcode}']");
        Assert.Equal("toPick", (await (await app.StaffClientAsync("counter")).GetFromJsonAsync<JsonElement>($"/api/holds/{hold.GetProperty("id").GetInt64()}")).GetProperty("status").GetString());

        // The lent copy comes back: the screen says who it is for.
        browser.Type("#counter-return", lentBarcode + Keys.Enter);
        var said = browser.WaitForText(".returns-form + .scan-status.ok", "P0002");
        Assert.Contains("Le Horla", said);
        Assert.Contains("mettre de côté", said);
        browser.WaitFor($"tr[data-barcode='{lentBarcode}']"); // on today's pick list at once
        browser.Screenshot("counter-return");
        Assert.Contains("Aucun absent", browser.Find(".counter-board").Text);
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task The_bibliobus_load_list_shows_the_holds_to_load_by_stop_in_route_order()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var buses = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/bibliobuses");
        var route = buses![0].GetProperty("routes")[0];
        var stops = route.GetProperty("stops").EnumerateArray().ToList();
        foreach (var (stop, card) in new[] { (stops[2], "P0002"), (stops[0], "P0001") })
        {
            var (title, _) = await BookAsync(app, $"Livre pour {card}", "Auteur, Test", "R TES", "Romans adultes", "CENTRALE");
            await ReadAsync(await (await PatronAsync(app, card)).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = stop.GetProperty("pickupPointId").GetInt64() }), HttpStatusCode.Created);
        }
        using var browser = new Browser(site);

        browser.Open($"/staff/#/bibliobus?route={route.GetProperty("id").GetInt64()}&date=2026-03-13");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();

        browser.WaitFor(".pick-table caption");
        var captions = browser.FindAll(".pick-table caption").Select(c => c.Text).ToList();
        Assert.Equal(2, captions.Count);
        Assert.StartsWith("1. Bibliobus – Place de Bourgogne", captions[0]);
        Assert.StartsWith("2. Bibliobus – Saint-Rémy – mairie", captions[1]);
        Assert.Contains("Livre pour P0001", browser.FindAll(".pick-table")[0].Text);
        browser.Screenshot("bibliobus-load-list");
        Assert.Empty(browser.ScriptErrors());
    }
}
