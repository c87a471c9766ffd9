using ClickCollect.Api.Features.Catalogue;
using FluentValidation;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// A reader states tastes instead of titles (DESIGN "Surprise selections"). Staff at the phone desk
/// name the patron with <c>PatronCardNumber</c>. <c>UseHistory</c> is the patron's consent to read
/// their past loans so nothing is proposed twice; without it, no history is read at all.
/// </summary>
internal sealed record CreateSelectionRequest(
    long PickupPointId,
    int Count,
    Audience? Audience = null,
    IReadOnlyList<DocumentFormat>? Formats = null,
    IReadOnlyList<string>? Languages = null,
    IReadOnlyList<string>? Genres = null,
    IReadOnlyList<string>? LikedAuthors = null,
    IReadOnlyList<string>? LikedTitles = null,
    IReadOnlyList<string>? Avoid = null,
    string? Notes = null,
    bool? UseHistory = null,
    int? RepeatEveryWeeks = null,
    int? RepeatTimes = null,
    string? PatronCardNumber = null)
{
    public const int MaxWords = 20;
    public const int MaxWordLength = 100;
    public const int MaxNotesLength = 2000;
}

internal sealed class CreateSelectionRequestValidator : AbstractValidator<CreateSelectionRequest>
{
    public CreateSelectionRequestValidator()
    {
        RuleFor(r => r.PickupPointId).GreaterThan(0);
        RuleFor(r => r.Count).InclusiveBetween(1, 10).WithMessage("Entre 1 et 10 documents.");
        RuleFor(r => r.Formats).Must(f => f!.Count <= 6 && f.Distinct().Count() == f.Count).When(r => r.Formats is not null)
            .WithMessage("Chaque format une seule fois.");
        RuleFor(r => r.Languages).Must(l => l!.Count <= 10).When(r => r.Languages is not null).WithMessage("10 langues au plus.");
        RuleForEach(r => r.Languages).NotNull().Matches("^[A-Za-z]{2}$").WithMessage("Langue attendue : code ISO 639-1 de deux lettres (fr, en…).");
        foreach (var (name, get) in new (string, Func<CreateSelectionRequest, IReadOnlyList<string>?>)[]
                 { ("Genres", r => r.Genres), ("LikedAuthors", r => r.LikedAuthors), ("LikedTitles", r => r.LikedTitles), ("Avoid", r => r.Avoid) })
        {
            RuleFor(r => get(r)).Must(w => w is null || w.Count <= CreateSelectionRequest.MaxWords)
                .WithMessage($"{CreateSelectionRequest.MaxWords} entrées au plus.").OverridePropertyName(name);
            RuleForEach(r => get(r) ?? Array.Empty<string>())
                .NotEmpty().WithMessage("Entrée vide.").MaximumLength(CreateSelectionRequest.MaxWordLength).OverridePropertyName(name);
        }
        RuleFor(r => r.Notes).MaximumLength(CreateSelectionRequest.MaxNotesLength);
        RuleFor(r => r.RepeatEveryWeeks).InclusiveBetween(1, 12);
        RuleFor(r => r.RepeatTimes).InclusiveBetween(2, 12);
        RuleFor(r => r.RepeatTimes).NotNull().When(r => r.RepeatEveryWeeks is not null)
            .WithMessage("Indiquez combien de fois répéter la sélection (repeatTimes).");
        RuleFor(r => r.RepeatEveryWeeks).NotNull().When(r => r.RepeatTimes is not null)
            .WithMessage("Indiquez tous les combien de semaines répéter la sélection (repeatEveryWeeks).");
        RuleFor(r => r.PatronCardNumber).MaximumLength(40);
    }
}
