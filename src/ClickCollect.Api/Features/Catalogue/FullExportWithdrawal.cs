using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// A full export of the library system's catalogue (<c>full=true</c>, issue 12 item 2): every copy the
/// file does not name is withdrawn, since the library system has deleted it. Copies named by a record or
/// a copy the import refused still count as named, so a faulty record never withdraws its copies. Holds
/// follow as for any withdrawal (<see cref="CopyAvailability.LeftShelfAsync"/>): a hold on a withdrawn
/// copy gets another copy if one is free; otherwise it stays queued, flagged to staff (hold alerts), and
/// its patron is told, with "no other copy" when the title has none left. Nothing is deleted.
/// </summary>
internal sealed class FullExportWithdrawal(CopyAvailability holds, TimeProvider clock)
{
    sealed class Copy { public long Id { get; init; } public string Barcode { get; init; } = ""; }

    const string NotWithdrawnSql = "select id, barcode from copies where status <> 'withdrawn'";
    const string WithdrawSql = "update copies set status = 'withdrawn', due_on = null, updated_at = @Now where id = @Id and status <> 'withdrawn'";

    /// <summary>Why a full export naming no copy at all is refused: it would empty the catalogue.</summary>
    public const string NothingListed = "Un export complet sans aucun exemplaire retirerait tout le catalogue : rien n'a été retiré.";

    /// <summary>Withdraws, in the caller's unit of work, every copy <paramref name="named"/> does not recognise; returns how many and what the holds did.</summary>
    public async Task<(int Withdrawn, HoldConsequences Holds)> WithdrawMissingAsync(UnitOfWork uow, Func<string, bool> named, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var missing = (await uow.QueryAsync<Copy>(NotWithdrawnSql, null, ct)).Where(c => !named(c.Barcode)).ToList();
        var withdrawn = 0;
        var consequences = new HoldConsequences();
        foreach (var copy in missing)
        {
            if (await uow.ExecuteAsync(WithdrawSql, new { copy.Id, Now = now }, ct) == 0) continue;
            withdrawn++;
            consequences += await holds.LeftShelfAsync(uow, copy.Id, now, ct);
        }
        return (withdrawn, consequences);
    }
}
