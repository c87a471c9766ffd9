using FluentValidation;

namespace ClickCollect.Api.Features.Network;

internal sealed class BranchRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string Address { get; init; } = "";
    public string Phone { get; init; } = "";
    public string ClosedWeekdays { get; init; } = "";

    public BranchResponse ToResponse(IReadOnlyList<CounterResponse> counters) =>
        new(Id, Code, Name, TimeZone, Address, Phone, Weekdays.Parse(ClosedWeekdays), counters);
}

internal sealed class CounterRow
{
    public long Id { get; init; }
    public long BranchId { get; init; }
    public string Name { get; init; } = "";
    public long PickupPointId { get; init; }

    public CounterResponse ToResponse() => new(Id, BranchId, Name, PickupPointId);
}

/// <summary>A branch; <c>ClosedWeekdays</c> are ISO weekdays (1 = Monday … 7 = Sunday) it is closed every week.</summary>
internal sealed record BranchResponse(long Id, string Code, string Name, string TimeZone, string Address, string Phone,
    IReadOnlyList<int> ClosedWeekdays, IReadOnlyList<CounterResponse> Counters);

/// <summary>Weekly closing days as stored in <c>branches.closed_weekdays</c>: ISO weekday numbers joined by commas.</summary>
internal static class Weekdays
{
    public static IReadOnlyList<int> Parse(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Order().ToList();

    public static string Format(IEnumerable<int> weekdays) => string.Join(',', weekdays.Distinct().Order());
}

internal sealed record CounterResponse(long Id, long BranchId, string Name, long PickupPointId);

/// <summary>
/// Creates or replaces a branch. <c>Code</c> is the short identifier import files use ("CENTRALE").
/// <c>ClosedWeekdays</c> (ISO weekdays, e.g. [1] for Mondays) keeps the current days when left out.
/// </summary>
internal sealed record BranchRequest(string Code, string Name, string? TimeZone, string? Address, string? Phone,
    IReadOnlyList<int>? ClosedWeekdays = null)
{
    public const string DefaultTimeZone = "Europe/Paris";
}

internal sealed class BranchRequestValidator : AbstractValidator<BranchRequest>
{
    public BranchRequestValidator()
    {
        RuleFor(r => r.Code).NotEmpty().MaximumLength(20).Matches("^[A-Z0-9_-]+$")
            .WithMessage("Majuscules sans accent, chiffres, « _ » et « - » seulement.");
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.TimeZone).Must(z => TimeZoneInfo.TryFindSystemTimeZoneById(z!, out _))
            .When(r => !string.IsNullOrEmpty(r.TimeZone)).WithMessage("Fuseau horaire inconnu (ex. Europe/Paris).");
        RuleFor(r => r.Address).MaximumLength(300);
        RuleFor(r => r.Phone).MaximumLength(40);
        RuleFor(r => r.ClosedWeekdays).Must(d => d!.All(x => x is >= 1 and <= 7))
            .When(r => r.ClosedWeekdays is not null).WithMessage("Jours de fermeture : de 1 (lundi) à 7 (dimanche).")
            .Must(d => d!.Count < 7).When(r => r.ClosedWeekdays is not null).WithMessage("Une bibliothèque ouvre au moins un jour par semaine.");
    }
}

/// <summary>
/// When a branch is open for returns: not on its weekly closing days, and not on a date every one of its
/// counters is closed. Loans given at the counter fall due on such a day (issue 10).
/// </summary>
internal sealed record BranchOpening(IReadOnlyList<int> ClosedWeekdays, IReadOnlyList<IReadOnlyList<Slots.Closure>> CounterClosures)
{
    public bool IsOpen(DateOnly date) =>
        !ClosedWeekdays.Contains(Slots.SlotCalculator.IsoWeekday(date))
        && (CounterClosures.Count == 0 || CounterClosures.Any(closures => !closures.Any(c => c.StartsOn <= date && date <= c.EndsOn)));

    /// <summary>This date when the branch is open then, else the next open day (within two months; past that the date as is).</summary>
    public DateOnly OnOrAfter(DateOnly date)
    {
        for (var day = date; day < date.AddDays(62); day = day.AddDays(1))
            if (IsOpen(day)) return day;
        return date;
    }
}

internal sealed record CounterRequest(string Name);

internal sealed class CounterRequestValidator : AbstractValidator<CounterRequest>
{
    public CounterRequestValidator() => RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
}
