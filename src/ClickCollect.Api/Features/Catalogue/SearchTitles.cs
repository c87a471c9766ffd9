using System.Text;
using ClickCollect.Api.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// The query string of <c>GET /api/titles</c>. Init properties, not a positional record: the request delegate
/// generator emits uncompilable code for a positional record's nullable string parameters.
/// </summary>
internal sealed record SearchTitlesQuery
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    [FromQuery(Name = "q")] public string? Q { get; init; }
    [FromQuery(Name = "audience")] public string? Audience { get; init; }
    [FromQuery(Name = "format")] public string? Format { get; init; }
    [FromQuery(Name = "language")] public string? Language { get; init; }
    [FromQuery(Name = "pickupPointId")] public long? PickupPointId { get; init; }
    [FromQuery(Name = "available")] public bool? Available { get; init; }
    [FromQuery(Name = "page")] public int? Page { get; init; }
    [FromQuery(Name = "pageSize")] public int? PageSize { get; init; }

    /// <summary>The criteria for the store (call once the validator accepted the query).</summary>
    public TitleSearch ToSearch(long? branchId)
    {
        EnumText<Catalogue.Audience>.TryParse(Audience, out var audience);
        EnumText<DocumentFormat>.TryParse(Format, out var format);
        return new TitleSearch(SearchTerms.Words(Q),
            string.IsNullOrEmpty(Audience) ? null : audience,
            string.IsNullOrEmpty(Format) ? null : format,
            string.IsNullOrEmpty(Language) ? null : Language.ToLowerInvariant(),
            branchId, Available == true, Page ?? 1, PageSize ?? DefaultPageSize);
    }
}

internal sealed class SearchTitlesQueryValidator : AbstractValidator<SearchTitlesQuery>
{
    public SearchTitlesQueryValidator()
    {
        RuleFor(q => q.Q).MaximumLength(200);
        RuleFor(q => q.Audience).Must(a => EnumText<Audience>.TryParse(a, out _)).When(q => !string.IsNullOrEmpty(q.Audience))
            .WithMessage("Public attendu : adult, youth ou children.");
        RuleFor(q => q.Format).Must(f => EnumText<DocumentFormat>.TryParse(f, out _)).When(q => !string.IsNullOrEmpty(q.Format))
            .WithMessage("Format attendu : book, largePrint, comics, dvd, cd ou audiobook.");
        RuleFor(q => q.Language).Matches("^[A-Za-z]{2}$").When(q => !string.IsNullOrEmpty(q.Language))
            .WithMessage("Langue attendue : code ISO 639-1 de deux lettres (fr, en…).");
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, SearchTitlesQuery.MaxPageSize);
    }
}

/// <summary>What the store searches for. No words: the whole catalogue in title order.</summary>
internal sealed record TitleSearch(IReadOnlyList<string> Words, Audience? Audience, DocumentFormat? Format, string? Language,
    long? BranchId, bool OnlyAvailable, int Page, int PageSize);

/// <summary>
/// Turns what a patron typed into full-text search terms. Only words (runs of letters and digits) are
/// kept, so quotes, <c>*</c>, <c>-</c>, <c>:</c>, parentheses, NEAR, OR… reach the engine as plain words
/// or not at all, and can never make a query fail.
/// </summary>
internal static class SearchTerms
{
    public const int MaxWords = 10;

    public static IReadOnlyList<string> Words(string? q)
    {
        if (string.IsNullOrWhiteSpace(q)) return [];
        // Composed form: a decomposed "é" (e + combining accent) would otherwise split the word in two.
        var text = q.Normalize(NormalizationForm.FormC);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text + " ")
        {
            if (char.IsLetterOrDigit(c)) { word.Append(c); continue; }
            if (word.Length > 0 && words.Count < MaxWords) words.Add(word.ToString());
            word.Clear();
        }
        return words.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>FTS5: every word as a quoted prefix ("etranger"*), all required (FTS5's implicit AND).</summary>
    public static string ToFts5(IReadOnlyList<string> words) =>
        string.Join(' ', words.Select(w => "\"" + w.Replace("\"", "\"\"") + "\"*"));

    /// <summary>PostgreSQL: the words as plain text; the store lets PostgreSQL's own parser make the lexemes.</summary>
    public static string ToPostgres(IReadOnlyList<string> words) => string.Join(' ', words);
}
