using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Caching;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Lockdowns;

/// <summary>What the director does to lockdowns: declare one, change it, end it, cancel it.</summary>
internal abstract record LockdownChange
{
    public sealed record Create(LockdownRequest Request) : LockdownChange;
    public sealed record Update(long Id, LockdownRequest Request) : LockdownChange;
    public sealed record End(long Id, DateOnly EndsOn) : LockdownChange;
    public sealed record Cancel(long Id) : LockdownChange;
}

internal abstract record LockdownChangeOutcome
{
    public sealed record Applied(LockdownChangeResponse Response) : LockdownChangeOutcome;
    public sealed record Previewed(LockdownEffects Effects) : LockdownChangeOutcome;
    public sealed record Refused(ProblemHttpResult Problem) : LockdownChangeOutcome;
}

/// <summary>
/// One way through for every lockdown change, previewed or applied: under <see cref="LockKeys.Lending"/>
/// held exclusively, the lockdowns before and after the change are compared, every stored date is
/// recomputed from its original, and (when applied) the change, the new dates and the audit entry
/// (who, when, before, after, effects, moved dates) are committed together. A preview runs exactly
/// the same plan and rolls back, so the counts the director confirms are the ones applied.
/// </summary>
internal sealed class ChangeLockdown(Db db, LockdownStore store, LockdownEffectsStore effects, AuditStore audit, ConfigurationCache configuration,
    TimeProvider clock)
{
    /// <summary>The audit entry lists this many moved dates of each kind at most (the counts are always complete).</summary>
    const int AuditedDates = 500;

    public async Task<LockdownChangeOutcome> RunAsync(LockdownChange change, CurrentUser who, bool apply, CancellationToken ct)
    {
        var request = change switch { LockdownChange.Create c => c.Request, LockdownChange.Update u => u.Request, _ => null };
        if (request is { NetworkWide: false } && await store.UnknownBranchesAsync(request.BranchIds!, ct) is [var unknown, ..])
        {
            var index = request.BranchIds!.ToList().IndexOf(unknown);
            return Refuse(Problems.Field($"branchIds[{index}]", $"La bibliothèque {unknown} n'existe pas."));
        }

        var now = clock.GetUtcNow();
        await using var uow = await db.WriteAsync(ct);
        await uow.LockAsync(LockKeys.Lending, ct);
        var before = await store.PeriodsAsync(uow, ct);

        LockdownResponse? current = null;
        if (change is not LockdownChange.Create)
        {
            var id = IdOf(change);
            current = await store.GetAsync(uow, id, now, ct);
            if (current is null) return Refuse(Problems.NotFound("Le confinement", id));
            if (current.Status == LockdownStatus.Cancelled)
                return Refuse(Problems.Conflict("lockdown_cancelled", "Confinement annulé", $"Le confinement {id} a été annulé : il ne peut plus changer."));
            if (change is LockdownChange.End end && end.EndsOn < current.StartsOn)
                return Refuse(Problems.Field("endsOn", $"La fin ne peut pas précéder le début ({current.StartsOn:dd/MM/yyyy})."));
        }

        IReadOnlyList<LockdownPeriod> after = change switch
        {
            LockdownChange.Create c => [.. before, c.Request.ToPeriod(0)],
            LockdownChange.Update u => [.. before.Where(p => p.Id != u.Id), u.Request.ToPeriod(u.Id)],
            LockdownChange.End e => [.. before.Where(p => p.Id != e.Id), (current!.ToRequest() with { EndsOn = e.EndsOn }).ToPeriod(e.Id)],
            LockdownChange.Cancel x => [.. before.Where(p => p.Id != x.Id)],
            _ => throw new InvalidOperationException($"Unknown change {change}"),
        };
        var plan = await effects.PlanAsync(uow, before, after, now, ct);
        if (!apply) return new LockdownChangeOutcome.Previewed(plan.Summary); // disposing the unit of work rolls back

        var (lockdownId, action) = change switch
        {
            LockdownChange.Create c => (await store.InsertAsync(uow, c.Request, who.Id, now, ct), "lockdown.created"),
            LockdownChange.Update u => (await store.UpdateAsync(uow, u.Id, u.Request, now, ct) ? u.Id : 0, "lockdown.changed"),
            LockdownChange.End e => (await store.UpdateAsync(uow, e.Id, current!.ToRequest() with { EndsOn = e.EndsOn }, now, ct) ? e.Id : 0, "lockdown.ended"),
            LockdownChange.Cancel x => (await store.CancelAsync(uow, x.Id, now, ct) ? x.Id : 0, "lockdown.cancelled"),
            _ => throw new InvalidOperationException($"Unknown change {change}"),
        };
        if (lockdownId == 0) throw new InvalidOperationException("The lockdown changed under the lending lock."); // cannot happen: checked above, under the lock
        await effects.ApplyAsync(uow, plan, now, ct);
        var saved = (await store.GetAsync(uow, lockdownId, now, ct))!;
        await audit.WriteAsync(uow, who, action, "lockdown", lockdownId, new
        {
            Before = current,
            After = saved,
            Effects = plan.Summary,
            DueDates = plan.Loans.Take(AuditedDates).Select(c => new { LoanId = c.Id, c.From, c.To, c.Original }),
            PickupDeadlines = plan.Holds.Take(AuditedDates).Select(c => new { HoldId = c.Id, c.From, c.To, c.Original }),
            Truncated = plan.Loans.Count > AuditedDates || plan.Holds.Count > AuditedDates,
        }, now, ct);
        await uow.CommitAsync(ct);
        configuration.Changed(); // again once committed: slot caps read before the commit are not kept (#17)
        return new LockdownChangeOutcome.Applied(new LockdownChangeResponse(saved, plan.Summary));
    }

    static long IdOf(LockdownChange change) => change switch
    {
        LockdownChange.Update u => u.Id,
        LockdownChange.End e => e.Id,
        LockdownChange.Cancel c => c.Id,
        _ => 0,
    };

    static LockdownChangeOutcome.Refused Refuse(ProblemHttpResult problem) => new(problem);
}
