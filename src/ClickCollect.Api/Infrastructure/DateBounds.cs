namespace ClickCollect.Api.Infrastructure;

/// <summary>
/// The dates the service works with (#14). A closure or lockdown dated 9999-12-31 once made every fine,
/// payment, loan and lockdown preview answer 500 until it was deleted: the calculators add days to
/// such dates. Input is kept inside these bounds at the edge, and the calculators saturate
/// (<see cref="AddDaysSaturating"/>) so data stored before the bounds existed cannot break them either.
/// </summary>
internal static class DateBounds
{
    public static readonly DateOnly Min = new(1900, 1, 1);
    public static readonly DateOnly Max = new(2199, 12, 31);

    public const string Message = "Date hors des limites acceptées (1900-01-01 à 2199-12-31).";

    public static bool Contains(DateOnly date) => date >= Min && date <= Max;

    public static bool Contains(DateTimeOffset instant) => instant.UtcDateTime.Year is >= 1900 and <= 2199 && instant.Year is >= 1900 and <= 2199;

    /// <summary><paramref name="date"/> + <paramref name="days"/>, stopping at the calendar's ends instead of throwing.</summary>
    public static DateOnly AddDaysSaturating(this DateOnly date, long days)
    {
        var target = (long)date.DayNumber + days;
        if (target <= DateOnly.MinValue.DayNumber) return DateOnly.MinValue;
        if (target >= DateOnly.MaxValue.DayNumber) return DateOnly.MaxValue;
        return DateOnly.FromDayNumber((int)target);
    }

    /// <summary>Every date from <paramref name="from"/> to <paramref name="to"/>, both inclusive, without overflowing at the calendar's end.</summary>
    public static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var n = from.DayNumber; n <= to.DayNumber; n++) yield return DateOnly.FromDayNumber(n);
    }
}
