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
    public long? HomePickupPointId { get; init; }
    public bool Active { get; init; }

    public StaffResponse ToResponse() => new(Id, Username, DisplayName, Role, BranchId, HomePickupPointId, Active);
}

/// <param name="HomePickupPointId">Where the member usually works: the counter screen opens on it.</param>
internal sealed record StaffResponse(long Id, string Username, string DisplayName, string Role, long? BranchId, long? HomePickupPointId, bool Active);

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

    const string GetSql = "select id, username, display_name, role, branch_id, home_pickup_point_id, active from staff where id = @Id";

    public async Task<StaffRow?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<StaffRow>(new CommandDefinition(GetSql, new { Id = id }, cancellationToken: ct));
    }

    const string ListSql = "select id, username, display_name, role, branch_id, home_pickup_point_id, active from staff order by lower(username)";

    public async Task<IReadOnlyList<StaffRow>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<StaffRow>(new CommandDefinition(ListSql, cancellationToken: ct))).AsList();
    }

    const string InsertSql = """
        insert into staff (username, display_name, role, branch_id, home_pickup_point_id, password_hash, active)
        select @Username, @DisplayName, @Role, @BranchId, @HomePickupPointId, @PasswordHash, @Active
        where not exists (select 1 from staff where lower(username) = lower(@Username))
        returning id
        """;

    /// <summary>Creates the account; null when the username is taken.</summary>
    public Task<long?> CreateAsync(UnitOfWork uow, string username, string displayName, string role, long? branchId, string passwordHash, CancellationToken ct,
        long? homePickupPointId = null) =>
        uow.QuerySingleOrDefaultAsync<long?>(InsertSql,
            new { Username = username, DisplayName = displayName, Role = role, BranchId = branchId, HomePickupPointId = homePickupPointId, PasswordHash = passwordHash, Active = true }, ct);

    const string UpdateSql = """
        update staff set display_name = @DisplayName, role = @Role, branch_id = @BranchId, home_pickup_point_id = @HomePickupPointId, active = @Active
        where id = @Id
        """;

    public Task<int> UpdateAsync(UnitOfWork uow, long id, UpdateStaffRequest r, CancellationToken ct) =>
        uow.ExecuteAsync(UpdateSql, new { Id = id, DisplayName = r.DisplayName.Trim(), r.Role, r.BranchId, r.HomePickupPointId, r.Active }, ct);

    // A new password also lifts a lockout: that is usually why the director is asked for one.
    const string PasswordSql = "update staff set password_hash = @Hash, failed_sign_ins = 0, locked_until = null where id = @Id";

    public Task<int> SetPasswordAsync(UnitOfWork uow, long id, string hash, CancellationToken ct) =>
        uow.ExecuteAsync(PasswordSql, new { Id = id, Hash = hash }, ct);

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    const string ForgetSignInsSql = "update staff set failed_sign_ins = 0, locked_until = null where locked_until < @Before";

    /// <summary>Failed sign-in counts and locks older than <paramref name="before"/> are forgotten.</summary>
    public static Task<int> ForgetSignInAttemptsAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetSignInsSql, new { Before = before }, ct);
}
