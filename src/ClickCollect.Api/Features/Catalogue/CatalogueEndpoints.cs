using System.Security.Claims;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace ClickCollect.Api.Features.Catalogue;

internal static class CatalogueEndpoints
{
    /// <summary>A 30,000-copy export is about 4 MB; 64 MB leaves room for a whole network's catalogue.</summary>
    public const long ImportBodyLimit = 64 * 1024 * 1024;

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
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<CatalogueImportStore>();
        services.AddSingleton<CatalogueImport>();
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
            .WithSummary("Import titles and copies from the library system (CSV; the file is the body)")
            .RequireAuthorization(Policies.Director).WithBodyLimit(ImportBodyLimit)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The CSV file (UTF-8), format in src/ClickCollect.Api/Features/Catalogue/README.md",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                };
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
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
        var (items, total) = await store.SearchAsync(search, ct);
        return TypedResults.Ok(new TitleSearchResponse(items.Select(t => t.ToSummary()).ToList(), total, search.Page, search.PageSize));
    }

    static async Task<Results<Ok<TitleResponse>, ProblemHttpResult>> GetTitle(long id, ClaimsPrincipal principal, CatalogueStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not ({ } title, { } copies)) return Problems.NotFound("Le titre", id);
        return TypedResults.Ok(title.ToResponse(copies, forStaff: CurrentUser.From(principal)?.IsStaff == true));
    }

    static async Task<Ok<List<GenreCount>>> Genres(CatalogueStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.GenresAsync(ct)).ToList());

    static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> Import(
        string? format, HttpRequest request, CatalogueImport importer, Db db, CancellationToken ct)
    {
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "csv":
                break;
            case "marc21" or "unimarc":
                return Problems.Field("format", "Format non pris en charge pour l'instant : envoyez le catalogue en csv.");
            default:
                return Problems.Field("format", $"Format inconnu « {format} » : csv, marc21 ou unimarc.");
        }
        var file = await CatalogueCsv.ReadAsync(request.Body, ct);
        var report = await db.WriteAsync(uow => importer.ImportAsync(uow, file, ct), ct);
        return report.Rejected.Count == 0 ? TypedResults.Ok(report) : Problems.ImportRejected(report.Rejected);
    }
}
