using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Fines;
using FluentValidation;

namespace ClickCollect.Api.Features.Loans;

/// <summary>
/// How long a document is lent and what a late day costs, for a format and an audience; null means any.
/// Amounts are integer cents.
/// </summary>
internal sealed record LoanPolicy(DocumentFormat? Format, Audience? Audience, int LoanDays, int FineCentsPerDay, int FineGraceDays, int FineCapCents)
{
    public FineRule Fine => new(FineCentsPerDay, FineGraceDays, FineCapCents);
}

internal sealed record LoanPoliciesResponse(bool Defaults, IReadOnlyList<LoanPolicy> Policies);

/// <summary>The whole policy table, replaced at once; it must have the any/any row every document falls back to.</summary>
internal sealed record LoanPoliciesRequest(IReadOnlyList<LoanPolicy> Policies);

internal static class LoanPolicies
{
    /// <summary>
    /// Defaults in the way of French municipal libraries: four weeks for books and audiobooks, three for
    /// comics and CDs, two for DVDs; 0.15 € a day after three days' grace, capped at 5 € a document
    /// (DVDs 0.50 € a day, capped at 10 €); no fines on children's documents.
    /// </summary>
    public static readonly IReadOnlyList<LoanPolicy> Defaults =
    [
        new(null, null, 28, 15, 3, 500),
        new(DocumentFormat.Comics, null, 21, 15, 3, 500),
        new(DocumentFormat.Cd, null, 21, 20, 3, 500),
        new(DocumentFormat.Dvd, null, 14, 50, 1, 1000),
        new(null, Audience.Children, 28, 0, 0, 0),
        new(DocumentFormat.Comics, Audience.Children, 21, 0, 0, 0),
        new(DocumentFormat.Dvd, Audience.Children, 14, 0, 0, 0),
    ];

    /// <summary>The most specific row: format and audience, then format, then audience, then any/any.</summary>
    public static LoanPolicy Resolve(IReadOnlyList<LoanPolicy> policies, DocumentFormat format, Audience audience) =>
        policies.FirstOrDefault(p => p.Format == format && p.Audience == audience)
        ?? policies.FirstOrDefault(p => p.Format == format && p.Audience is null)
        ?? policies.FirstOrDefault(p => p.Format is null && p.Audience == audience)
        ?? policies.FirstOrDefault(p => p.Format is null && p.Audience is null)
        ?? Defaults[0];
}

internal sealed class LoanPoliciesRequestValidator : AbstractValidator<LoanPoliciesRequest>
{
    public LoanPoliciesRequestValidator()
    {
        RuleFor(r => r.Policies).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("La liste des règles est obligatoire.")
            .Must(p => p.Count <= 100).WithMessage("100 règles au plus.")
            .Must(p => p.All(x => x is not null)).WithMessage("Une règle est vide.")
            .Must(p => p.Any(x => x.Format is null && x.Audience is null))
            .WithMessage("Une ligne sans support ni public (la règle par défaut) est obligatoire.")
            .Must(p => p.Select(x => (x.Format, x.Audience)).Distinct().Count() == p.Count)
            .WithMessage("Deux lignes portent sur le même support et le même public.");
        RuleForEach(r => r.Policies).ChildRules(p =>
        {
            p.RuleFor(x => x.LoanDays).InclusiveBetween(1, 365);
            p.RuleFor(x => x.FineCentsPerDay).InclusiveBetween(0, 10_000);
            p.RuleFor(x => x.FineGraceDays).InclusiveBetween(0, 365);
            p.RuleFor(x => x.FineCapCents).InclusiveBetween(0, 1_000_000);
        }).When(r => r.Policies is not null && r.Policies.All(x => x is not null));
    }
}
