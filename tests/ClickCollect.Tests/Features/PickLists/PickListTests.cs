using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Csv;
using ClickCollect.Tests.Contract;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.PickLists;

public abstract class PickListTests<TDb> where TDb : ITestDatabase, new()
{
    const string Wednesday = "2026-03-11";

    /// <summary>Four patrons reserve demo titles at the adult counter: three book Wednesday slots, one does not book.</summary>
    static async Task<(long Point, List<JsonElement> Holds)> DayAsync(TestApp app)
    {
        var point = await PickupPointIdAsync(app, CentralAdults);
        (string Title, string Author, string Call, string Shelf, string Branch)[] books =
        [
            ("L'Étranger", "Camus, Albert", "R CAM", "Romans adultes", "CENTRALE"),
            ("Le Nom de la rose", "Eco, Umberto", "P ECO", "Romans policiers", "CENTRALE"),
            ("Astérix le Gaulois", "Goscinny, René", "BD GOSC", "BD adultes", "PRES"),
            ("La Peste", "Camus, Albert", "R CAM", "Romans adultes", "CENTRALE"),
        ];
        var holds = new List<JsonElement>();
        for (var i = 0; i < books.Length; i++)
        {
            var patron = await PatronAsync(app, $"P{i + 1:D4}");
            var (titleId, _) = await BookAsync(app, books[i].Title, books[i].Author, books[i].Call, books[i].Shelf, books[i].Branch);
            var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId, pickupPointId = point }), HttpStatusCode.Created);
            holds.Add(hold);
            if (i < 3)
                await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new
                {
                    pickupPointId = point,
                    slotStart = $"{Wednesday}T{13 + i}:00:00+00:00",
                    holdIds = new[] { hold.GetProperty("id").GetInt64() },
                }), HttpStatusCode.Created);
        }
        return (point, holds);
    }

    [Fact]
    public async Task The_days_pick_list_has_every_copy_once_grouped_by_owning_branch_in_walk_order()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (point, holds) = await DayAsync(app);
        var staff = await app.StaffClientAsync("counter");

        var list = await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{point}/{Wednesday}");
        var lines = list.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("lines").EnumerateArray()).ToList();
        Assert.Equal(holds.Count, lines.Count);
        Assert.Equal(holds.Select(h => h.GetProperty("id").GetInt64()).Order(), lines.Select(l => l.GetProperty("holdId").GetInt64()).Order());
        Assert.Equal(lines.Count, lines.Select(l => l.GetProperty("barcode").GetString()).Distinct().Count());

        var etranger = lines.Single(l => l.GetProperty("title").GetString() == "L'Étranger");
        Assert.Equal("Camus, Albert", etranger.GetProperty("author").GetString());
        Assert.Equal("R CAM", etranger.GetProperty("callNumber").GetString());
        Assert.Equal("P0001", etranger.GetProperty("patronCardNumber").GetString());
        Assert.Equal("14:00", etranger.GetProperty("slotLabel").GetString()); // 13:00 UTC is 14:00 in Paris
        Assert.Equal("14h00 · P0001", etranger.GetProperty("bagLabel").GetString());
        Assert.Contains(lines, l => l.GetProperty("slotLabel").GetString() == "sans rendez-vous");

        // Within a branch, lines follow the configured shelf walk (Romans adultes → … → BD adultes …).
        var walk = ClickCollect.Api.Features.Demo.DemoCatalogue.CentralWalk.ToList();
        foreach (var group in list.GetProperty("groups").EnumerateArray().Where(g => g.GetProperty("name").GetString() == "Médiathèque centrale"))
        {
            var positions = group.GetProperty("lines").EnumerateArray().Select(l => walk.IndexOf(l.GetProperty("shelfLocation").GetString()!)).ToList();
            Assert.Equal(positions.Order(), positions);
        }
    }

    [Fact]
    public async Task The_pdf_is_a4_holds_every_line_in_order_in_french_and_a_png_is_made_for_people_to_look_at()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (point, _) = await DayAsync(app);
        var staff = await app.StaffClientAsync("counter");
        var json = await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{point}/{Wednesday}");
        var response = await staff.GetAsync($"/api/pick-lists/{point}/{Wednesday}?format=pdf");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", Encoding.ASCII.GetString(pdf, 0, 4));

        var folder = Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "artifacts", "pick-lists");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"pick-list-{app.Provider}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        var info = Run("pdfinfo", file);
        Assert.Matches(@"Page size:\s+595 x 842 pts \(A4\)", info);
        // Tagged for assistive technology (#19 item 2, RGAA 13.3): a title shown in the title bar, the language in the catalog.
        Assert.Matches(@"Title:\s+Liste de retrait — Médiathèque centrale – Adultes — 2026-03-11", info);
        using (var opened = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(pdf), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Import))
        {
            Assert.Equal("fr-FR", opened.Language);
        }
        Assert.Contains("/DisplayDocTitle true", Encoding.Latin1.GetString(pdf), StringComparison.Ordinal); // PDFsharp cannot read it back in Import mode
        var text = Run("pdftotext", $"-layout {file} -");
        Assert.Contains("Liste de retrait — Médiathèque centrale – Adultes", text);
        Assert.Contains("mercredi 11 mars 2026", text);
        Assert.Contains("Page 1 / 1", text);
        var barcodes = json.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("lines").EnumerateArray())
            .Select(l => l.GetProperty("barcode").GetString()!).ToList();
        var positions = barcodes.Select(b => text.IndexOf(b, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("L'Étranger", text);
        Run("pdftoppm", $"-png -r 80 -f 1 -l 1 {file} {Path.Combine(folder, $"pick-list-{app.Provider}")}");
        Assert.True(File.Exists(Path.Combine(folder, $"pick-list-{app.Provider}-1.png")));
    }

    [Fact]
    public async Task The_csv_round_trips_with_one_header_row_and_the_public_variant_prints_initials()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (point, _) = await DayAsync(app);
        var staff = await app.StaffClientAsync("counter");
        var json = await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{point}/{Wednesday}");
        var bytes = await staff.GetByteArrayAsync($"/api/pick-lists/{point}/{Wednesday}?format=csv");
        var records = CsvImport.Records(new StringReader(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'))).ToList();
        Assert.Equal("group", records[0].Fields[0]);
        var lines = json.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("lines").EnumerateArray()).ToList();
        Assert.Equal(lines.Count, records.Count - 1);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal(lines[i].GetProperty("title").GetString(), records[i + 1].Fields[3]);
            Assert.Equal(lines[i].GetProperty("barcode").GetString(), records[i + 1].Fields[5]);
        }

        var publicList = await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{point}/{Wednesday}?public=true");
        var publicLines = publicList.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("lines").EnumerateArray()).ToList();
        Assert.All(publicLines, l => Assert.Equal("", l.GetProperty("patronCardNumber").GetString()));
        Assert.Contains(publicLines, l => l.GetProperty("patronName").GetString() == "P. M."); // demo patron P0001 is Philippe Martin
        Assert.DoesNotContain(publicLines, l => l.GetProperty("bagLabel").GetString()!.Contains("P000"));
    }

    [Fact]
    public async Task The_excel_variant_opens_in_french_spreadsheets_and_the_machine_csv_stays()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (point, _) = await DayAsync(app);
        var staff = await app.StaffClientAsync("counter");
        var json = await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{point}/{Wednesday}");
        var response = await staff.GetAsync($"/api/pick-lists/{point}/{Wednesday}?format=csv&dialect=excel");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("Bibliothèque;Emplacement;Cote;Titre;Auteur;Code-barres;Carte;Lecteur;Sac;Créneau;Sorti du rayon;Réservation;Point de retrait\r\n", text);
        var lines = json.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("lines").EnumerateArray()).Count();
        Assert.Equal(lines + 1, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.StartsWith("group,shelfLocation,", Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/api/pick-lists/{point}/{Wednesday}?format=csv")).TrimStart('\uFEFF'));
        await ProblemAssert.IsProblemAsync(await staff.GetAsync($"/api/pick-lists/{point}/{Wednesday}?format=csv&dialect=lotus"), HttpStatusCode.BadRequest, null, "dialect");
    }

    [Fact]
    public async Task Printing_is_recorded_and_lines_added_since_are_flagged()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (point, _) = await DayAsync(app);
        var staff = await app.StaffClientAsync("counter");
        // Downloading the PDF or the CSV to look at it is not a printing (issue 10): nothing is recorded.
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/pick-lists/{point}/{Wednesday}?format=pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/pick-lists/{point}/{Wednesday}?format=csv")).StatusCode);
        Assert.Empty((await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{point}/{Wednesday}")).GetProperty("prints").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsJsonAsync($"/api/pick-lists/{point}/{Wednesday}/prints", new { @public = false })).StatusCode);

        var (title, _) = await TitleAsync(app, "CENTRALE");
        var late = await ReadAsync(await (await PatronAsync(app, "P0010")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);

        var list = await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{point}/{Wednesday}");
        var prints = list.GetProperty("prints").EnumerateArray().ToList();
        Assert.Single(prints);
        Assert.Equal("Camille Martin (accueil)", prints[0].GetProperty("printedBy").GetString());
        var lines = list.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("lines").EnumerateArray()).ToList();
        Assert.Equal([late.GetProperty("id").GetInt64()], lines.Where(l => l.GetProperty("addedSinceLastPrint").GetBoolean()).Select(l => l.GetProperty("holdId").GetInt64()));

        // Printed again from the screen: recorded too, and nothing is new any more.
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsJsonAsync($"/api/pick-lists/{point}/{Wednesday}/prints", new { @public = false })).StatusCode);
        var again = await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{point}/{Wednesday}");
        Assert.Equal(["screen", "screen"], again.GetProperty("prints").EnumerateArray().Select(p => p.GetProperty("format").GetString()));
        Assert.DoesNotContain(again.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("lines").EnumerateArray()),
            l => l.GetProperty("addedSinceLastPrint").GetBoolean());
    }

    [Fact]
    public async Task Scanning_a_barcode_marks_the_line_picked_and_the_hold_ready()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (point, holds) = await DayAsync(app);
        var staff = await app.StaffClientAsync("counter");
        var barcode = holds[0].GetProperty("barcode").GetString();

        var scanned = await ReadAsync(await staff.PostAsJsonAsync($"/api/pick-lists/{point}/{Wednesday}/picked", new { barcode = $" {barcode}\n" }), HttpStatusCode.OK);
        Assert.Equal("ready", scanned.GetProperty("status").GetString());
        await ReadAsync(await staff.PostAsJsonAsync($"/api/pick-lists/{point}/{Wednesday}/picked", new { barcode }), HttpStatusCode.OK); // twice is harmless
        var list = await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{point}/{Wednesday}");
        Assert.Equal(1, list.GetProperty("pickedCount").GetInt32());
        await ProblemAssert.IsProblemAsync(await staff.PostAsJsonAsync($"/api/pick-lists/{point}/{Wednesday}/picked", new { barcode = "0000" }),
            HttpStatusCode.NotFound, "barcode_not_on_list");
        await ProblemAssert.IsProblemAsync(await staff.GetAsync($"/api/pick-lists/{point}/mercredi"), HttpStatusCode.BadRequest, null, "date");
        await ProblemAssert.IsProblemAsync(await staff.GetAsync($"/api/pick-lists/{point}/{Wednesday}?format=docx"), HttpStatusCode.BadRequest, null, "format");
        await ProblemAssert.IsProblemAsync(await (await PatronAsync(app, "P0001")).GetAsync($"/api/pick-lists/{point}/{Wednesday}"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_not_found_report_can_be_taken_back_for_five_minutes_and_the_patron_hears_nothing()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, copies) = await TitleAsync(app, "CENTRALE", "PRES");
        var patron = await PatronAsync(app, "P0001");
        var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
        var id = hold.GetProperty("id").GetInt64();
        var staff = await app.StaffClientAsync("counter");
        Assert.Equal(copies[1], (await ReadAsync(await staff.PostAsync($"/api/holds/{id}/not-found", null), HttpStatusCode.OK)).GetProperty("copyId").GetInt64());

        // Found after all: the hold is back on the first copy, the second is free again, no SMS goes out.
        var back = await ReadAsync(await staff.PostAsync($"/api/holds/{id}/not-found/undo", null), HttpStatusCode.OK);
        Assert.Equal(("toPick", copies[0]), (back.GetProperty("status").GetString(), back.GetProperty("copyId").GetInt64()));
        await using (var c = await app.Service<ClickCollect.Api.Infrastructure.Database.Db>().OpenAsync(default))
        {
            Assert.Equal(["held", "onShelf"], await Dapper.SqlMapper.QueryAsync<string>(c, "select status from copies where title_id = @title order by id", new { title }));
            Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "select count(*) from sms_outbox where kind = 'copyNotFound'"));
            Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "select count(*) from not_found_reports"));
        }
        await ProblemAssert.IsProblemAsync(await staff.PostAsync($"/api/holds/{id}/not-found/undo", null), HttpStatusCode.Conflict, "not_found_not_undoable");

        // Reported again and left for more than five minutes: too late to take back.
        await ReadAsync(await staff.PostAsync($"/api/holds/{id}/not-found", null), HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await ProblemAssert.IsProblemAsync(await staff.PostAsync($"/api/holds/{id}/not-found/undo", null), HttpStatusCode.Conflict, "not_found_not_undoable");
    }

    [Fact]
    public async Task A_copy_not_found_is_marked_lost_and_the_hold_takes_another_copy_or_the_patron_is_told()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, copies) = await TitleAsync(app, "CENTRALE", "PRES");
        var patron = await PatronAsync(app, "P0001");
        var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
        var id = hold.GetProperty("id").GetInt64();
        var staff = await app.StaffClientAsync("counter");

        var moved = await ReadAsync(await staff.PostAsync($"/api/holds/{id}/not-found", null), HttpStatusCode.OK);
        Assert.Equal(("inTransit", copies[1]), (moved.GetProperty("status").GetString(), moved.GetProperty("copyId").GetInt64()));

        var queued = await ReadAsync(await staff.PostAsync($"/api/holds/{id}/not-found", null), HttpStatusCode.OK);
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        await using var c = await app.Service<ClickCollect.Api.Infrastructure.Database.Db>().OpenAsync(default);
        // The patron is told each time: first that another copy is coming, then that the hold waits in the queue.
        Assert.Equal(2L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "select count(*) from sms_outbox where kind = 'copyNotFound' and patron_id = @p",
            new { p = hold.GetProperty("id").GetInt64() > 0 ? (await app.Service<ClickCollect.Api.Features.Patrons.PatronStore>().FindByCardAsync("P0001", default))!.Id : 0 }));
        Assert.Equal(2L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "select count(*) from copies where title_id = @title and status = 'lost'", new { title }));
    }

    [Fact]
    public async Task The_bibliobus_load_list_covers_the_stops_visited_that_day_in_route_order()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var buses = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/bibliobuses");
        var route = buses![0].GetProperty("routes")[0];
        var stops = route.GetProperty("stops").EnumerateArray().ToList(); // Bourgogne (Tue, Fri), Aubépins (Wed), Saint-Rémy (Fri)
        foreach (var (stop, card) in stops.Zip(new[] { "P0001", "P0002", "P0003" }))
        {
            var (title, _) = await TitleAsync(app, "CENTRALE");
            await ReadAsync(await (await PatronAsync(app, card)).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = stop.GetProperty("pickupPointId").GetInt64() }), HttpStatusCode.Created);
        }
        var staff = await app.StaffClientAsync("counter");
        var friday = await staff.GetFromJsonAsync<JsonElement>($"/api/load-lists/{route.GetProperty("id").GetInt64()}/2026-03-13");
        Assert.Equal(["Bibliobus – Place de Bourgogne", "Bibliobus – Saint-Rémy – mairie"],
            friday.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        var wednesday = await staff.GetFromJsonAsync<JsonElement>($"/api/load-lists/{route.GetProperty("id").GetInt64()}/2026-03-11");
        Assert.Equal(["Bibliobus – Les Aubépins – école"], wednesday.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal("application/pdf", (await staff.GetAsync($"/api/load-lists/{route.GetProperty("id").GetInt64()}/2026-03-13?format=pdf")).Content.Headers.ContentType?.MediaType);
    }

    static string Run(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }
}

public sealed class PickListTests_Sqlite : PickListTests<SqliteTestDatabase>;
public sealed class PickListTests_Postgres : PickListTests<PostgresTestDatabase>;
