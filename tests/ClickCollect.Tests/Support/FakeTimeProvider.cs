namespace ClickCollect.Tests.Support;

/// <summary>
/// A clock the test moves by hand (the Microsoft.Extensions.TimeProvider.Testing package is not served
/// here). Timers created from it fire when <see cref="Advance"/> passes their due time, so a
/// PeriodicTimer-driven worker ticks exactly when the test says.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    readonly Lock gate = new();
    readonly List<FakeTimer> timers = [];
    DateTimeOffset now = start;

    /// <summary>Tuesday 10 March 2026, 09:00 in Paris (08:00 UTC): an ordinary opening morning.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider() : this(DefaultStart) { }

    public override DateTimeOffset GetUtcNow() { lock (gate) return now; }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void SetUtcNow(DateTimeOffset value) { lock (gate) now = value; Fire(); }

    public void Advance(TimeSpan by) { lock (gate) now += by; Fire(); }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (gate) timers.Add(timer);
        return timer;
    }

    void Fire()
    {
        while (true)
        {
            FakeTimer? due;
            lock (gate) due = timers.Where(t => t.Due <= now).OrderBy(t => t.Due).FirstOrDefault();
            if (due is null) return;
            due.Tick();
        }
    }

    sealed class FakeTimer(FakeTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        TimeSpan period;
        public DateTimeOffset Due { get; private set; } = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            this.period = period;
            Due = dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : clock.GetUtcNow() + dueTime;
            return true;
        }

        public void Tick()
        {
            Due = period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan ? Due + period : DateTimeOffset.MaxValue;
            callback(state);
        }

        public void Dispose() { lock (clock.gate) clock.timers.Remove(this); }
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
