using System.Collections.Concurrent;
using System.Net;
using ClickCollect.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ClickCollect.BrowserTests.Support;

/// <summary>
/// GET /api/titles and GET /api/pickup-points answered in the shape of DESIGN.md's "Public contract"
/// from a fixed list, so the page's rendering, filters and paging are checked on known data whatever
/// the real catalogue holds. It records the queries the page sent. Only the tests that say so use it;
/// CataloguePageTests also runs the page against the real endpoints.
/// </summary>
sealed class CatalogueContractStub : IStartupFilter
{
    public const int PageSize = 10;

    public ConcurrentQueue<QueryString> TitleQueries { get; } = new();

    /// <summary>When set, /api/titles answers a 503 problem.</summary>
    public bool Failing { get; set; }

    /// <summary>The app with the stub in front of its routes, on a real socket; returns the address.</summary>
    public static (CatalogueContractStub Stub, Uri Site) Serve(TestApp app)
    {
        var stub = new CatalogueContractStub();
        var factory = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(stub)));
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return (stub, factory.ClientOptions.BaseAddress);
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map("/api/titles", a => a.Run(Titles));
        app.Map("/api/pickup-points", a => a.Run(http => http.Response.WriteAsJsonAsync(PickupPoints)));
        next(app);
    };

    Task Titles(HttpContext http)
    {
        var query = http.Request.Query;
        TitleQueries.Enqueue(http.Request.QueryString);
        if (Failing)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return http.Response.WriteAsJsonAsync(new { title = "Service indisponible", status = 503, code = "unavailable" },
                options: null, contentType: "application/problem+json");
        }
        string q = query["q"].ToString(), audience = query["audience"].ToString(), format = query["format"].ToString();
        var matches = All.Where(t =>
                (q.Length == 0 || t.Title.Contains(q, StringComparison.OrdinalIgnoreCase) || t.Authors.Any(a => a.Contains(q, StringComparison.OrdinalIgnoreCase)))
                && (audience.Length == 0 || t.Audience == audience) && (format.Length == 0 || t.Format == format))
            .ToList();
        var page = int.TryParse(query["page"], out var p) && p > 0 ? p : 1;
        return http.Response.WriteAsJsonAsync(new
        {
            items = matches.Skip((page - 1) * PageSize).Take(PageSize),
            total = matches.Count,
            page,
            pageSize = PageSize,
        });
    }

    public sealed record TitleItem(long Id, string Title, string[] Authors, string Audience, string Format, int AvailableCopies, string Publisher, int Year);

    public static readonly TitleItem[] All =
    [
        new(1, "Les Misérables", ["Victor Hugo"], "adult", "book", 3, "Gallimard", 1995),
        new(2, "L'Étranger", ["Albert Camus"], "adult", "book", 0, "Gallimard", 1971),
        new(3, "Germinal", ["Émile Zola"], "adult", "largePrint", 1, "Feryane", 2004),
        new(4, "Le Petit Prince", ["Antoine de Saint-Exupéry"], "children", "book", 4, "Gallimard Jeunesse", 2007),
        new(5, "Astérix le Gaulois", ["René Goscinny", "Albert Uderzo"], "youth", "comics", 2, "Hachette", 1999),
        new(6, "Le Fabuleux Destin d'Amélie Poulain", ["Jean-Pierre Jeunet"], "adult", "dvd", 1, "UGC", 2001),
        new(7, "Kind of Blue", ["Miles Davis"], "adult", "cd", 1, "Columbia", 1997),
        new(8, "Le Comte de Monte-Cristo", ["Alexandre Dumas"], "adult", "audiobook", 2, "Audiolib", 2012),
        new(9, "Madame Bovary", ["Gustave Flaubert"], "adult", "book", 2, "Le Livre de Poche", 1999),
        new(10, "Le Rouge et le Noir", ["Stendhal"], "adult", "book", 1, "Folio", 2000),
        new(11, "Les Trois Mousquetaires", ["Alexandre Dumas"], "adult", "book", 2, "Folio", 2001),
        new(12, "Bel-Ami", ["Guy de Maupassant"], "adult", "book", 1, "Folio", 1999),
        new(13, "La Peste", ["Albert Camus"], "adult", "book", 0, "Folio", 1972),
        new(14, "Vingt mille lieues sous les mers", ["Jules Verne"], "youth", "book", 3, "Hetzel", 2005),
        new(15, "Le Tour du monde en quatre-vingts jours", ["Jules Verne"], "youth", "book", 1, "Hetzel", 2005),
        new(16, "Tintin au Tibet", ["Hergé"], "youth", "comics", 2, "Casterman", 1993),
        new(17, "Le Journal d'Anne Frank", ["Anne Frank"], "youth", "book", 1, "Le Livre de Poche", 2013),
        new(18, "Persepolis", ["Marjane Satrapi"], "adult", "comics", 1, "L'Association", 2007),
        new(19, "Chanson douce", ["Leïla Slimani"], "adult", "book", 0, "Gallimard", 2016),
        new(20, "L'Élégance du hérisson", ["Muriel Barbery"], "adult", "largePrint", 1, "Feryane", 2007),
        new(21, "Petit Ours Brun", ["Marie Aubinais", "Danièle Bour"], "children", "book", 5, "Bayard", 2010),
        new(22, "Le Gruffalo", ["Julia Donaldson", "Axel Scheffler"], "children", "book", 2, "Gallimard Jeunesse", 1999),
        new(23, "Les Fleurs du mal", ["Charles Baudelaire"], "adult", "audiobook", 1, "Thélème", 2008),
    ];

    static readonly object[] PickupPoints =
    [
        new { id = 1, kind = "counter", name = "Adultes", branchId = 1, branchName = "Médiathèque centrale" },
        new { id = 2, kind = "counter", name = "Jeunesse", branchId = 1, branchName = "Médiathèque centrale" },
        new { id = 4, kind = "bibliobusStop", name = "Place du Marché", branchId = 1, branchName = "Médiathèque centrale" },
        new { id = 3, kind = "counter", name = "Accueil", branchId = 2, branchName = "Bibliothèque des Capucins" },
    ];
}
