using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Patrons;

// #10 item 1: the phone desk finds the caller however the name or number is typed.
public abstract class PatronSearchTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task One_box_finds_a_patron_by_card_by_name_without_accents_and_by_a_phone_typed_any_french_way()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var staff = await app.StaffClientAsync("counter");
        await ReadAsync(await staff.PostAsJsonAsync("/api/patrons", new
        {
            cardNumber = "T-0042", pin = "1234", firstName = "Bérénice", lastName = "Lefèvre-Œuvray", phone = "07 98 76 54 31", smsConsent = true,
        }), HttpStatusCode.Created);

        foreach (var q in new[] { "t-0042", "berenice", "BÉRÉNICE", "lefevre", "oeuvray berenice", "07 98 76 54 31", "0798765431", "07.98.76.54.31",
                     "+33 7 98 76 54 31", "+33798765431", "54 31" })
        {
            var found = await staff.GetFromJsonAsync<JsonElement[]>($"/api/patrons?q={Uri.EscapeDataString(q)}");
            Assert.True(found!.Any(p => p.GetProperty("cardNumber").GetString() == "T-0042"), $"« {q} » does not find the patron");
        }
        Assert.Empty((await staff.GetFromJsonAsync<JsonElement[]>("/api/patrons?q=berenice%20martin"))!);
        var patron = await PatronAsync(app, "P0001");
        Assert.Equal(HttpStatusCode.Forbidden, (await patron.GetAsync("/api/patrons?q=berenice")).StatusCode);
    }

    [Fact] // #10 item 2: the record for staff, its opening logged; phone and SMS consent editable by staff and the patron
    public async Task Staff_open_a_logged_record_and_staff_or_the_patron_change_phone_and_sms_consent()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var staff = await app.StaffClientAsync("counter");
        var record = await ReadAsync(await staff.GetAsync("/api/patrons/P0001/record"), HttpStatusCode.OK);
        Assert.Equal("P0001", record.GetProperty("patron").GetProperty("cardNumber").GetString());
        Assert.Equal(JsonValueKind.Array, record.GetProperty("appointments").ValueKind);
        // #16: the opening goes to the staff access log, not the audit trail
        var log = await (await app.StaffClientAsync("director")).GetFromJsonAsync<JsonElement[]>("/api/patron-access-log?patronCardNumber=P0001");
        Assert.Contains(log!, e => e.GetProperty("action").GetString() == "open");

        var changed = await ReadAsync(await staff.PutAsJsonAsync("/api/patrons/P0001/contact", new { phone = "07.98.76.54.30", smsConsent = true }), HttpStatusCode.OK);
        Assert.Equal("+33798765430", changed.GetProperty("phone").GetString());
        await ProblemAssert.IsProblemAsync(await staff.PutAsJsonAsync("/api/patrons/P0001/contact", new { phone = "01 23 45 67 89", smsConsent = true }),
            HttpStatusCode.BadRequest, null, "smsConsent");
        var patron = await PatronAsync(app, "P0001");
        var own = await ReadAsync(await patron.PutAsJsonAsync("/api/patrons/me/contact", new { phone = (string?)null, smsConsent = false }), HttpStatusCode.OK);
        Assert.False(own.GetProperty("smsConsent").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await patron.GetAsync("/api/patrons/P0001/record")).StatusCode);
    }
}

public sealed class PatronSearchTests_Sqlite : PatronSearchTests<SqliteTestDatabase>;
public sealed class PatronSearchTests_Postgres : PatronSearchTests<PostgresTestDatabase>;
