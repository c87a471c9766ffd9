using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Patrons;

internal sealed class PatronRow
{
    public long Id { get; init; }
    public string CardNumber { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public bool SmsConsent { get; init; }
    public long? HomeBranchId { get; init; }
    public string? BlockedReason { get; init; }

    public PatronResponse ToResponse() =>
        new(Id, CardNumber, FirstName, LastName, Phone, Email, SmsConsent, HomeBranchId, BlockedReason);
}

internal sealed record PatronResponse(long Id, string CardNumber, string FirstName, string LastName, string? Phone, string? Email,
    bool SmsConsent, long? HomeBranchId, string? BlockedReason);

internal sealed record NewPatron(string CardNumber, string PinHash, string FirstName, string LastName, string? Phone, string? Email,
    bool SmsConsent, long? HomeBranchId, DateTimeOffset CreatedAt);

internal sealed class PatronStore(Db db)
{
    const string Columns = "id, card_number, first_name, last_name, phone, email, sms_consent, home_branch_id, blocked_reason";

    const string CredentialsSql = "select id, pin_hash as hash, locked_until from patrons where upper(card_number) = upper(@CardNumber)";

    public async Task<SignInGuard.Credentials?> FindCredentialsAsync(string cardNumber, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<SignInGuard.Credentials>(new CommandDefinition(CredentialsSql, new { CardNumber = cardNumber }, cancellationToken: ct));
    }

    const string GetByIdSql = $"select {Columns} from patrons where id = @Id";

    public async Task<PatronRow?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<PatronRow>(new CommandDefinition(GetByIdSql, new { Id = id }, cancellationToken: ct));
    }

    const string GetByCardSql = $"select {Columns} from patrons where upper(card_number) = upper(@CardNumber)";

    public async Task<PatronRow?> FindByCardAsync(string cardNumber, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<PatronRow>(new CommandDefinition(GetByCardSql, new { CardNumber = cardNumber }, cancellationToken: ct));
    }

    // The phone desk looks patrons up by card number, name or phone.
    const string SearchSql = $"""
        select {Columns} from patrons
        where upper(card_number) like upper(@Pattern) or upper(last_name) like upper(@Pattern)
           or upper(first_name) like upper(@Pattern) or phone like @Pattern
        order by upper(last_name), upper(first_name), id
        limit @Limit
        """;

    public async Task<IReadOnlyList<PatronRow>> SearchAsync(string query, int limit, CancellationToken ct)
    {
        var pattern = "%" + query.Replace("%", "").Replace("_", "") + "%";
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<PatronRow>(new CommandDefinition(SearchSql, new { Pattern = pattern, Limit = limit }, cancellationToken: ct))).AsList();
    }

    const string InsertSql = """
        insert into patrons (card_number, pin_hash, first_name, last_name, phone, email, sms_consent, home_branch_id, created_at)
        select @CardNumber, @PinHash, @FirstName, @LastName, @Phone, @Email, @SmsConsent, @HomeBranchId, @CreatedAt
        where not exists (select 1 from patrons where upper(card_number) = upper(@CardNumber))
        returning id
        """;

    /// <summary>Creates the patron; null when the card number is taken.</summary>
    public Task<long?> CreateAsync(UnitOfWork uow, NewPatron patron, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<long?>(InsertSql, patron, ct);
}
