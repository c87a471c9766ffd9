using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Staff;

internal sealed class StaffRow
{
    public long Id { get; init; }
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public long? BranchId { get; init; }
    public bool Active { get; init; }

    public StaffResponse ToResponse() => new(Id, Username, DisplayName, Role, BranchId, Active);
}

internal sealed record StaffResponse(long Id, string Username, string DisplayName, string Role, long? BranchId, bool Active);

internal sealed class StaffStore(Db db)
{
    const string CredentialsSql = """
        select id, password_hash as hash, locked_until from staff where lower(username) = lower(@Username) and active = @Active
        """;

    public async Task<SignInGuard.Credentials?> FindCredentialsAsync(string username, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<SignInGuard.Credentials>(new CommandDefinition(CredentialsSql, new { Username = username, Active = true }, cancellationToken: ct));
    }

    const string GetSql = "select id, username, display_name, role, branch_id, active from staff where id = @Id";

    public async Task<StaffRow?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<StaffRow>(new CommandDefinition(GetSql, new { Id = id }, cancellationToken: ct));
    }

    const string ListSql = "select id, username, display_name, role, branch_id, active from staff order by lower(username)";

    public async Task<IReadOnlyList<StaffRow>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<StaffRow>(new CommandDefinition(ListSql, cancellationToken: ct))).AsList();
    }

    const string InsertSql = """
        insert into staff (username, display_name, role, branch_id, password_hash, active)
        select @Username, @DisplayName, @Role, @BranchId, @PasswordHash, @Active
        where not exists (select 1 from staff where lower(username) = lower(@Username))
        returning id
        """;

    /// <summary>Creates the account; null when the username is taken.</summary>
    public Task<long?> CreateAsync(UnitOfWork uow, string username, string displayName, string role, long? branchId, string passwordHash, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<long?>(InsertSql,
            new { Username = username, DisplayName = displayName, Role = role, BranchId = branchId, PasswordHash = passwordHash, Active = true }, ct);
}
