using System.Security.Claims;
using ClickCollect.Api.Features.Catalogue.Marc;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace ClickCollect.Api.Features.Catalogue;

internal static class CatalogueEndpoints
{
    /// <summary>A 30,000-copy CSV export is about 4 MB; 64 MB leaves room for a whole network's catalogue (a CSV is read whole).</summary>
    public const long CsvBodyLimit = 64 * 1024 * 1024;

    /// <summary>MARC files are streamed, never held whole: a large network's export runs to a gigabyte or more.</summary>
    public const long ImportBodyLimit = 4L * 1024 * 1024 * 1024;

    static int enumsRegistered;

    public static void AddCatalogue(this IServiceCollection services)
    {
        // Dapper's handlers are process-wide: register once, however many apps (tests) start.
        if (Interlocked.Exchange(ref enumsRegistered, 1) == 0)
        {
            DapperSetup.AddEnum<Audience>();
            DapperSetup.AddEnum<DocumentFormat>();
            DapperSetup.AddEnum<CopyStatus>();
        }
        services.AddSingleton<SearchCache>();
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<CatalogueImportStore>();
        services.AddSingleton<CatalogueImport>();
        services.AddSingleton<MarcImport>();
        services.AddSingleton<CopyStatusSync>();
        services.AddSingleton<FullExportWithdrawal>();
        services.AddSingleton<CopyStatusStore>();
        services.AddOptions<CopyStatusSyncOptions>().BindConfiguration(CopyStatusSyncOptions.Section)
            .Validate(o => o.Interval >= TimeSpan.FromSeconds(1) && o.Lease >= TimeSpan.FromMinutes(1), "CopyStatusSync:Interval ≥ 1 s and Lease ≥ 1 min.")
            .ValidateOnStart();
        services.AddHostedService<CopyStatusFolderWorker>();
        services.AddOptions<MarcImportOptions>().BindConfiguration(MarcImportOptions.Section)
            .Validate(o => o.BatchSize is >= 1 and <= 10_000, "MarcImport:BatchSize must be between 1 and 10000.")
            .Validate(o => o.RecordId.Length == 3 || (o.RecordId.Length == 5 && o.RecordId[3] == '$'), "MarcImport:RecordId is a tag (\"001\") or a tag and a subfield (\"999$c\").")
            .ValidateOnStart();
        services.AddSingleton<IValidator<SearchTitlesQuery>, SearchTitlesQueryValidator>();
    }

    public static void MapCatalogue(this IEndpointRouteBuilder api)
    {
        var titles = api.MapGroup("/titles").WithTags("Catalogue").AllowAnonymous();
        titles.MapGet("/", SearchTitles).WithName("SearchTitles")
            .WithSummary("Search the catalogue (words, audience, format, language, availability at a pickup point)")
            .WithValidation<SearchTitlesQuery>().ProducesProblem(StatusCodes.Status400BadRequest);
        titles.MapGet("/{id:long}", GetTitle).WithName("GetTitle")
            .WithSummary("A title with its copies (barcodes and shelf details for staff only)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var catalogue = api.MapGroup("/catalogue").WithTags("Catalogue");
        catalogue.MapGet("/genres", Genres).WithName("ListGenres").WithSummary("The catalogue's genres, with the number of titles in each")
            .AllowAnonymous();
        catalogue.MapPost("/imports", Import).WithName("ImportCatalogue")
            .WithSummary("Import titles and copies from the library system (CSV, MARC 21 or UNIMARC in ISO 2709, MARCXML; the file is the body); full=true: a full export, copies it does not list are withdrawn and their holds flagged")
            .RequireAuthorization(Policies.Director).WithBodyLimit(ImportBodyLimit)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The file: CSV (UTF-8), ISO 2709 or MARCXML; formats in src/ClickCollect.Api/Features/Catalogue/README.md and Marc/README.md",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                        ["application/marc"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                        ["application/marcxml+xml"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                };
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        catalogue.MapPost("/copies/status", CopyStatuses).WithName("SyncCopyStatuses")
            .WithSummary("Copy statuses from the library system: CSV barcode,status[,dueOn] (onShelf, onLoan, lost, withdrawn); holds follow")
            .RequireAuthorization(Policies.Director).WithBodyLimit(CsvBodyLimit)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "barcode,status[,dueOn] lines (UTF-8; an optional header line)",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                };
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    static async Task<Results<Ok<CopyStatusReport>, ProblemHttpResult>> CopyStatuses(HttpRequest request, CopyStatusSync sync, CancellationToken ct)
    {
        var file = await CopyStatusCsv.ReadAsync(request.Body, ct);
        if (file.Rejected.Count > 0) return Problems.ImportRejected(file.Rejected);
        return TypedResults.Ok(await sync.ApplyAsync(file.Rows, ct));
    }

    static async Task<Results<Ok<TitleSearchResponse>, ProblemHttpResult>> SearchTitles(
        [AsParameters] SearchTitlesQuery query, CatalogueStore store, CancellationToken ct)
    {
        long? branchId = null;
        if (query.PickupPointId is { } pickupPointId)
        {
            branchId = await store.PickupPointBranchAsync(pickupPointId, ct);
            if (branchId is null) return Problems.Field("pickupPointId", $"Le point de retrait {pickupPointId} n'existe pas.");
        }
        var search = query.ToSearch(branchId);
        var (items, total, estimated) = await store.SearchAsync(search, ct);
        return TypedResults.Ok(new TitleSearchResponse(items.Select(t => t.ToSummary()).ToList(), total, search.Page, search.PageSize, estimated));
    }

    /// <summary>Staff also get the copies' shelf details and the number of holds queued for the title.</summary>
    static async Task<Results<Ok<TitleResponse>, ProblemHttpResult>> GetTitle(long id, ClaimsPrincipal principal, CatalogueStore store,
        Holds.HoldStore holds, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not ({ } title, { } copies)) return Problems.NotFound("Le titre", id);
        var forStaff = CurrentUser.From(principal)?.IsStaff == true;
        var response = title.ToResponse(copies, forStaff);
        return TypedResults.Ok(forStaff ? response with { QueueLength = await holds.QueueLengthAsync(id, ct) } : response);
    }

    static async Task<Ok<List<GenreCount>>> Genres(CatalogueStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.GenresAsync(ct)).ToList());

    static async Task<Results<Ok<CatalogueImportReport>, ProblemHttpResult>> Import(
        string? format, bool? full, HttpRequest request, CatalogueImport importer, MarcImport marc, Db db, CancellationToken ct)
    {
        MarcFileFormat marcFormat;
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "csv":
                if (request.ContentLength > CsvBodyLimit) return Problems.Create(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Contenu trop volumineux",
                        $"Un catalogue CSV dépasse {CsvBodyLimit / 1024 / 1024} Mio : envoyez-le en MARC (lu au fil de l'eau) ou en plusieurs fichiers.");
                if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                    limit.MaxRequestBodySize = CsvBodyLimit;
                var file = await CatalogueCsv.ReadAsync(request.Body, ct);
                var report = await db.WriteAsync(uow => importer.ImportAsync(uow, file, full ?? false, ct), ct);
                return report.Rejected.Count == 0 ? TypedResults.Ok(CatalogueImportReport.FromCsv(report)) : Problems.ImportRejected(report.Rejected);
            case "marc21": marcFormat = MarcFileFormat.Marc21; break;
            case "unimarc": marcFormat = MarcFileFormat.Unimarc; break;
            case "marcxml": marcFormat = MarcFileFormat.MarcXml; break;
            default:
                return Problems.Field("format", $"Format inconnu « {format} » : csv, marc21, unimarc ou marcxml.");
        }
        return TypedResults.Ok(await marc.ImportAsync(request.Body, marcFormat, null, ct, full ?? false));
    }
}
