using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Network;

internal sealed class BranchStore(Db db)
{
    const string ExistsSql = "select count(*) from branches where id = @Id";

    public async Task<bool> ExistsAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(ExistsSql, new { Id = id }, cancellationToken: ct)) > 0;
    }
}
