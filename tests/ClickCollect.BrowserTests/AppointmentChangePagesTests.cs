using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;
using static ClickCollect.BrowserTests.Support.Arrange;

namespace ClickCollect.BrowserTests;

// #10 item 4, the patron's side: on "Mes réservations" a booked appointment takes a document set aside
// since, then moves to another day, with the keyboard alone. The app's clock is Tuesday 10 March 2026,
// 09:00 in Paris; the adult counter opens Tuesday to Saturday.
public sealed class AppointmentChangePagesTests
{
    [Fact]
    public async Task A_patron_adds_a_document_to_an_appointment_then_moves_it_to_another_day_with_the_keyboard()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "T9301", "Gaspard", "Roussel");
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var (first, _) = await Library.TitleAsync(app, "CENTRALE");
        var (second, _) = await Library.TitleAsync(app, "CENTRALE");
        var appointment = await BookAsync(app, "T9301", adults, Paris(10, 11), Id(await HoldAsync(app, "T9301", first, adults)));
        var later = await HoldAsync(app, "T9301", second, adults); // set aside after booking: not in the appointment yet
        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow());
        browser.Open("/#/connexion");
        browser.Type("#sign-in-card", "T9301");
        browser.Type("#sign-in-pin", DemoAccounts.Pin + Keys.Enter);
        browser.WaitFor("#greeting");

        browser.Open("/#/reservations");
        var add = browser.WaitFor(".card.appointment details.add-holds summary");
        Assert.Equal("Ajouter 1 document mis de côté depuis", add.Text);
        add.SendKeys(Keys.Enter);
        Assert.True(browser.Find($"#add-{Id(appointment)}-{Id(later)}").Selected);
        browser.Find(".card.appointment .add-form button[type=submit]").SendKeys(Keys.Enter);
        browser.WaitForText("main .notices .notice", "1 document ajouté au rendez-vous.");
        Assert.Equal(2, browser.WaitFor(".card.appointment").FindElements(By.CssSelector(".titles li")).Count);
        Assert.Empty(browser.FindAll(".card.appointment details.add-holds"));

        var move = browser.Find(".card.appointment details.move summary");
        Assert.Equal("Changer de créneau", move.Text);
        move.SendKeys(Keys.Enter);
        var day = browser.WaitFor($"#move-{Id(appointment)}-day option[value='2026-03-11']");
        browser.Find($"#move-{Id(appointment)}-day").SendKeys(Keys.ArrowDown); // today → tomorrow, Wednesday 11 March
        Assert.True(day.Selected);
        Assert.StartsWith("10:00", (string)browser.Script("const s = document.getElementById(arguments[0]); return s.options[s.selectedIndex].text;",
            $"move-{Id(appointment)}-slot")!);
        browser.Screenshot("patron-appointment-move");
        browser.Find(".card.appointment .move-form button[type=submit]").SendKeys(Keys.Enter);

        Assert.Equal("Rendez-vous déplacé : mercredi 11 mars 2026 à 10:00.", browser.WaitForText("main .notices .notice", "Rendez-vous déplacé"));
        Assert.Contains("mercredi 11 mars 2026, 10:00", browser.Find(".card.appointment .when").Text);
        var patron = await Library.PatronAsync(app, "T9301");
        var moved = await patron.GetFromJsonAsync<JsonElement>($"/api/appointments/{Id(appointment)}");
        Assert.Equal(Paris(11, 10), moved.GetProperty("slotStart").GetDateTimeOffset());
        Assert.Equal(2, moved.GetProperty("holds").GetArrayLength());
        browser.Screenshot("patron-appointment-moved");
        Assert.Empty(browser.ScriptErrors());
    }
}
