using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Appointments;

public abstract class AppointmentsTests<TDb> where TDb : ITestDatabase, new()
{
    // Tuesday 10 March 2026; the adult counter's slots are quarter hours, 4 patrons each.
    const string Wednesday11 = "2026-03-11T09:00:00+00:00"; // 10:00 in Paris

    static async Task<(HttpClient Patron, long HoldId, long PickupPointId)> PatronWithHoldAsync(TestApp app, string card)
    {
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, card);
        var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        return (patron, hold.GetProperty("id").GetInt64(), adults);
    }

    [Fact]
    public async Task A_patron_books_a_slot_when_reserving_and_the_slot_shows_one_place_fewer()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, hold, point) = await PatronWithHoldAsync(app, "P0001");

        var booked = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }), HttpStatusCode.Created);
        Assert.Equal("booked", booked.GetProperty("status").GetString());
        Assert.Equal(hold, booked.GetProperty("holds")[0].GetProperty("holdId").GetInt64());

        var slots = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots?from=2026-03-11&to=2026-03-11");
        var slot = slots!.Single(s => s.GetProperty("start").GetString() == Wednesday11);
        Assert.Equal((1, 3), (slot.GetProperty("booked").GetInt32(), slot.GetProperty("remaining").GetInt32()));
        var held = await patron.GetFromJsonAsync<JsonElement>($"/api/holds/{hold}");
        Assert.Equal(booked.GetProperty("id").GetInt64(), held.GetProperty("appointmentId").GetInt64());
    }

    [Fact] // #17: the key's answer is recorded in the booking's own transaction; two sends at once still book once
    public async Task A_booking_sent_twice_at_once_with_one_idempotency_key_books_once_and_both_get_its_answer()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, hold, point) = await PatronWithHoldAsync(app, "P0002");

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/appointments")
            {
                Content = JsonContent.Create(new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }),
            };
            request.Headers.Add("Idempotency-Key", "twice-at-once");
            var response = await patron.SendAsync(request);
            return (response.StatusCode, (await ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetInt64(), response.Headers.Location);
        })));

        Assert.Equal(answers[0], answers[1]);
        Assert.Single((await patron.GetFromJsonAsync<JsonElement[]>("/api/appointments"))!);
        var other = await patron.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/appointments")
        {
            Content = JsonContent.Create(new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold + 1000 } }),
            Headers = { { "Idempotency-Key", "twice-at-once" } },
        });
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    [Fact] // #17: the 201 is built from what the booking read, not read back: it must say what GET says, keyed or not
    public async Task The_answer_to_a_booking_is_the_appointment_as_get_reads_it()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var patron = await PatronAsync(app, "P0003");
        var holds = new List<long>();
        // Titles whose order differs by case and accent from their creation order, and two of one title (ordered by hold).
        foreach (var title in new[] { "été indien", "Zoé", "abeilles", "Zoé" })
        {
            var (id, _) = await BookAsync(app, title, "Auteur, Test", "R TES", "Romans adultes", "CENTRALE");
            holds.Add((await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = id, pickupPointId = point }), HttpStatusCode.Created))
                .GetProperty("id").GetInt64());
        }

        app.Clock.Advance(TimeSpan.FromTicks(1_234_567)); // created at an instant with more than microseconds (PostgreSQL keeps microseconds)
        var response = await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { holds[0], holds[1], holds[3] } }); // the two "Zoé" among them
        var booked = await ReadAsync(response, HttpStatusCode.Created);
        var read = await patron.GetAsync(response.Headers.Location);

        Assert.Equal(await read.Content.ReadAsStringAsync(), booked.GetRawText());
        Assert.Equal(3, booked.GetProperty("holds").GetArrayLength());

        // As the patron page books: with an Idempotency-Key, the answer is recorded in the booking's transaction, and replayed.
        var keyed = new HttpRequestMessage(HttpMethod.Post, "/api/appointments")
        {
            Content = JsonContent.Create(new { pickupPointId = point, slotStart = "2026-03-11T09:15:00+00:00", holdIds = new[] { holds[2] } }),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        };
        var first = await ReadAsync(await patron.SendAsync(keyed), HttpStatusCode.Created);
        var again = await patron.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/appointments")
        {
            Content = JsonContent.Create(new { pickupPointId = point, slotStart = "2026-03-11T09:15:00+00:00", holdIds = new[] { holds[2] } }),
            Headers = { { "Idempotency-Key", keyed.Headers.GetValues("Idempotency-Key").Single() } },
        });
        var get = await patron.GetStringAsync($"/api/appointments/{first.GetProperty("id").GetInt64()}");
        Assert.Equal(get, first.GetRawText());
        Assert.Equal(get, (await ReadAsync(again, HttpStatusCode.Created)).GetRawText());
    }

    [Fact]
    public async Task Booking_runs_without_http_and_refuses_a_slot_beyond_the_horizon_with_its_problem()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (_, hold, point) = await PatronWithHoldAsync(app, "P0001");
        var patronId = (await app.Service<PatronStore>().FindByCardAsync("P0001", default))!.Id;
        var booking = app.Service<BookAppointment>();

        var far = await booking.RunAsync(patronId, new BookAppointmentRequest(point, DateTimeOffset.Parse(Wednesday11).AddDays(70), [hold], null),
            HoldChannel.Phone, default);
        var refused = Assert.IsType<BookingResult.Refused>(far).Problem;
        Assert.Equal((409, "slot_beyond_horizon"), (refused.StatusCode, refused.ProblemDetails.Extensions["code"]));

        var booked = Assert.IsType<BookingResult.Booked>(await booking.RunAsync(patronId,
            new BookAppointmentRequest(point, DateTimeOffset.Parse(Wednesday11), [hold], null), HoldChannel.Phone, default)).Appointment;
        Assert.Equal((AppointmentStatus.Booked, hold), (booked.Status, Assert.Single(booked.Holds).HoldId));
    }

    [Fact]
    public async Task A_full_slot_refuses_the_next_patron_and_a_cancellation_frees_the_place()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var booked = new List<(HttpClient Patron, long Id)>();
        for (var i = 1; i <= 4; i++)
        {
            var (patron, hold, point) = await PatronWithHoldAsync(app, $"P{i:D4}");
            var a = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }), HttpStatusCode.Created);
            booked.Add((patron, a.GetProperty("id").GetInt64()));
        }
        var (late, lateHold, adults) = await PatronWithHoldAsync(app, "P0005");
        var body = new { pickupPointId = adults, slotStart = Wednesday11, holdIds = new[] { lateHold } };
        await ProblemAssert.IsProblemAsync(await late.PostAsJsonAsync("/api/appointments", body), HttpStatusCode.Conflict, "slot_full");

        var cancelled = await ReadAsync(await booked[0].Patron.DeleteAsync($"/api/appointments/{booked[0].Id}"), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        await ReadAsync(await late.PostAsJsonAsync("/api/appointments", body), HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("2026-03-10T08:30:00+00:00", "slot_past")]           // 09:30 today: inside the 2-hour lead time
    [InlineData("2026-03-09T09:00:00+00:00", "slot_past")]           // yesterday
    [InlineData("2026-03-31T09:00:00+00:00", "slot_beyond_horizon")] // three weeks ahead
    [InlineData("2026-03-16T09:00:00+00:00", "slot_closed")]         // a Monday: the adult counter is closed
    [InlineData("2026-03-11T09:07:00+00:00", "slot_unknown")]        // not a slot boundary
    public async Task Slots_that_cannot_be_booked_are_refused_with_a_stable_code(string start, string code)
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, hold, point) = await PatronWithHoldAsync(app, "P0001");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = start, holdIds = new[] { hold } }),
            HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task A_ready_hold_cannot_be_collected_after_its_deadline()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, hold, point) = await PatronWithHoldAsync(app, "P0001");
        var staff = await app.StaffClientAsync("counter");
        await ReadAsync(await staff.PostAsync($"/api/holds/{hold}/ready", null), HttpStatusCode.OK); // deadline Tuesday 17
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = "2026-03-18T09:00:00+00:00", holdIds = new[] { hold } }), HttpStatusCode.Conflict, "after_deadline");
        await ReadAsync(await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = "2026-03-17T09:00:00+00:00", holdIds = new[] { hold } }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Im_here_works_from_thirty_minutes_before_the_slot_even_before_the_bag_is_ready()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, hold, point) = await PatronWithHoldAsync(app, "P0001");
        var booked = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }), HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetInt64();

        app.Clock.SetUtcNow(DateTimeOffset.Parse(Wednesday11) - TimeSpan.FromMinutes(31));
        patron = await PatronAsync(app, "P0001"); // the next day, signed in again
        await ProblemAssert.IsProblemAsync(await patron.PostAsync($"/api/appointments/{id}/arrival", null), HttpStatusCode.Conflict, "arrival_too_early");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var arrived = await ReadAsync(await patron.PostAsync($"/api/appointments/{id}/arrival", null), HttpStatusCode.OK);
        Assert.Equal("arrived", arrived.GetProperty("status").GetString());
        Assert.Equal("toPick", arrived.GetProperty("holds")[0].GetProperty("status").GetString());
    }

    /// <summary>
    /// A double tap on "I'm here" (found by the multi-instance test, two requests at once through nginx):
    /// the request that finds the arrival already recorded by the other answers it too, not "slot over".
    /// </summary>
    [Fact]
    public async Task Im_here_sent_several_times_at_once_answers_arrived_to_each()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, hold, point) = await PatronWithHoldAsync(app, "P0001");
        var booked = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }), HttpStatusCode.Created);
        app.Clock.SetUtcNow(DateTimeOffset.Parse(Wednesday11) - TimeSpan.FromMinutes(10));
        patron = await PatronAsync(app, "P0001");

        var taps = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => patron.PostAsync($"/api/appointments/{booked.GetProperty("id").GetInt64()}/arrival", null)));

        foreach (var tap in taps)
            Assert.Equal("arrived", (await ReadAsync(tap, HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Appointments_not_completed_by_the_end_of_the_slot_plus_grace_become_no_shows()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, hold, point) = await PatronWithHoldAsync(app, "P0001");
        var booked = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }), HttpStatusCode.Created);
        var worker = app.Worker<NoShowWorker>();

        app.Clock.SetUtcNow(DateTimeOffset.Parse(Wednesday11) + TimeSpan.FromMinutes(15 + 29));
        patron = await PatronAsync(app, "P0001");
        await worker.RunOnceAsync(default);
        Assert.Equal("booked", (await patron.GetFromJsonAsync<JsonElement>($"/api/appointments/{booked.GetProperty("id").GetInt64()}")).GetProperty("status").GetString());
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await worker.RunOnceAsync(default);
        Assert.Equal("noShow", (await patron.GetFromJsonAsync<JsonElement>($"/api/appointments/{booked.GetProperty("id").GetInt64()}")).GetProperty("status").GetString());
        Assert.Equal("toPick", (await patron.GetFromJsonAsync<JsonElement>($"/api/holds/{hold}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Holds_of_another_patron_or_not_yet_allocated_cannot_be_booked()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (_, othersHold, point) = await PatronWithHoldAsync(app, "P0001");
        var (patron, hold, _) = await PatronWithHoldAsync(app, "P0002");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { othersHold } }),
            HttpStatusCode.BadRequest, null, "holdIds");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = Array.Empty<long>() }),
            HttpStatusCode.BadRequest, null, "holdIds");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = "demain", holdIds = new[] { hold } }),
            HttpStatusCode.BadRequest, null, "slotStart");

        var (title, _) = await TitleAsync(app, "CENTRALE");
        await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point });
        var queued = await ReadAsync(await (await PatronAsync(app, "P0003")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await (await PatronAsync(app, "P0003")).PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { queued.GetProperty("id").GetInt64() } }), HttpStatusCode.Conflict, "hold_not_allocated");
    }

    /// <summary>
    /// #17 rewrote how a booking reads its checks (one statement on SQLite): each refusal they give, by its code.
    /// </summary>
    [Fact]
    public async Task A_booking_is_refused_for_a_hold_already_booked_elsewhere_a_third_appointment_that_day_and_a_hold_for_another_point()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, first, point) = await PatronWithHoldAsync(app, "P0001");
        var (_, second, _) = await PatronWithHoldAsync(app, "P0001");
        var (_, third, _) = await PatronWithHoldAsync(app, "P0001");
        Task<HttpResponseMessage> Book(string slotStart, params long[] holds) =>
            patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart, holdIds = holds });

        await ReadAsync(await Book(Wednesday11, first), HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await Book("2026-03-11T09:15:00+00:00", first), HttpStatusCode.Conflict, "hold_already_booked");
        await ReadAsync(await Book("2026-03-11T09:15:00+00:00", second), HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await Book("2026-03-11T09:30:00+00:00", third), HttpStatusCode.Conflict, "appointment_limit"); // two a day
        await ReadAsync(await Book("2026-03-12T09:30:00+00:00", third), HttpStatusCode.Created);

        var (title, _) = await TitleAsync(app, "CENTRALE");
        var quarter = await PickupPointIdAsync(app, Quarter);
        var there = (await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = quarter }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        await ProblemAssert.IsProblemAsync(await Book("2026-03-13T09:00:00+00:00", there), HttpStatusCode.Conflict, "hold_elsewhere");
    }

    [Fact] // #17: the documents already in a slot that caps them are counted with the booking's checks
    public async Task A_slot_that_caps_its_documents_refuses_a_booking_past_the_cap()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, first, point) = await PatronWithHoldAsync(app, "P0001");
        var (_, second, _) = await PatronWithHoldAsync(app, "P0001");
        var (other, third, _) = await PatronWithHoldAsync(app, "P0002");
        var director = await app.StaffClientAsync("director");
        Assert.Equal(HttpStatusCode.OK, (await director.PutAsJsonAsync($"/api/pickup-points/{point}/opening", new
        {
            leadTimeMinutes = 0,
            horizonDays = 14,
            pickupOpenDays = 7,
            stopSlotMinutes = 30,
            stopSlotCapacity = 4,
            windows = new[] { new { weekday = 3, startsAt = "10:00:00", endsAt = "11:00:00", slotMinutes = 30, capacity = 4, maxItems = 2 } },
        })).StatusCode);

        await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { first, second } }),
            HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await other.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { third } }), HttpStatusCode.Conflict, "slot_items_full");
        await ReadAsync(await other.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = "2026-03-11T09:30:00+00:00", holdIds = new[] { third } }), HttpStatusCode.Created);
    }

    [Fact] // #10: a second booking in the same slot joins the first appointment
    public async Task Booking_the_same_slot_again_adds_the_holds_to_the_first_appointment_without_taking_a_place()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, first, point) = await PatronWithHoldAsync(app, "P0001");
        var (_, second, _) = await PatronWithHoldAsync(app, "P0001");
        var (_, third, _) = await PatronWithHoldAsync(app, "P0001");
        var booked = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { first } }), HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetInt64();

        var joined = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { second } }), HttpStatusCode.OK);
        Assert.Equal(id, joined.GetProperty("id").GetInt64());
        var added = await ReadAsync(await patron.PostAsJsonAsync($"/api/appointments/{id}/holds", new { holdIds = new[] { third } }), HttpStatusCode.OK);
        Assert.Equal(3, added.GetProperty("holds").GetArrayLength());
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync($"/api/appointments/{id}/holds", new { holdIds = new[] { third } }),
            HttpStatusCode.Conflict, "hold_already_booked");

        var slots = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots?from=2026-03-11&to=2026-03-11");
        Assert.Equal(1, slots!.Single(s => s.GetProperty("start").GetString() == Wednesday11).GetProperty("booked").GetInt32());
    }

    [Fact] // #10: moving follows the booking rules and tells the patron
    public async Task Moving_an_appointment_frees_the_old_place_takes_a_new_one_and_queues_a_moved_sms()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, hold, point) = await PatronWithHoldAsync(app, "P0002");
        var id = (await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        const string Later = "2026-03-11T09:30:00+00:00";
        for (var i = 3; i <= 6; i++) // fill 10:30
        {
            var (other, otherHold, _) = await PatronWithHoldAsync(app, $"P{i:D4}");
            await ReadAsync(await other.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Later, holdIds = new[] { otherHold } }), HttpStatusCode.Created);
        }

        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync($"/api/appointments/{id}/move", new { slotStart = Later }), HttpStatusCode.Conflict, "slot_full");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync($"/api/appointments/{id}/move", new { slotStart = "2026-03-16T09:00:00+00:00" }),
            HttpStatusCode.Conflict, "slot_closed");
        var staff = await app.StaffClientAsync("counter");
        var moved = await ReadAsync(await staff.PostAsJsonAsync($"/api/appointments/{id}/move", new { slotStart = "2026-03-12T10:00:00+00:00" }), HttpStatusCode.OK);
        Assert.Equal(DateTimeOffset.Parse("2026-03-12T10:00:00+00:00"), moved.GetProperty("slotStart").GetDateTimeOffset());

        var slots = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots?from=2026-03-11&to=2026-03-12");
        Assert.Equal(0, slots!.Single(s => s.GetProperty("start").GetString() == Wednesday11).GetProperty("booked").GetInt32());
        Assert.Equal(1, slots!.Single(s => s.GetProperty("start").GetString() == "2026-03-12T10:00:00+00:00").GetProperty("booked").GetInt32());
        await using var c = await app.Service<Db>().OpenAsync(default);
        var body = await c.QuerySingleAsync<string>("select body from sms_outbox where kind = 'appointmentMoved'");
        Assert.StartsWith("Rendez-vous déplacé au jeudi 12 mars à 11h00", body);
    }
}

public sealed class AppointmentsTests_Sqlite : AppointmentsTests<SqliteTestDatabase>;
public sealed class AppointmentsTests_Postgres : AppointmentsTests<PostgresTestDatabase>;
