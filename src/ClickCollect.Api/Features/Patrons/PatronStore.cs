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
    public bool HistoryConsent { get; init; }
    public DateTimeOffset? HistoryConsentAt { get; init; }
    public DateTimeOffset? SmsConsentAt { get; init; }
    public DateTimeOffset? ErasureRequestedAt { get; init; }
    public DateTimeOffset? ErasureDeclinedAt { get; init; }
    public string? ErasureDeclineReason { get; init; }

    public PatronResponse ToResponse() =>
        new(Id, CardNumber, FirstName, LastName, Phone, Email, SmsConsent, HomeBranchId, BlockedReason, HistoryConsent, HistoryConsentAt,
            SmsConsentAt, ErasureRequestedAt, ErasureDeclinedAt, ErasureDeclineReason);
}

/// <param name="HistoryConsent">The patron keeps their reading history past the retention period (issue 16); the dates say when consents last changed.</param>
/// <param name="ErasureRequestedAt">The patron asked for their data to be erased; staff confirm it.</param>
/// <param name="ErasureDeclinedAt">Staff declined the last erasure request, for <paramref name="ErasureDeclineReason"/> (shown to the patron).</param>
internal sealed record PatronResponse(long Id, string CardNumber, string FirstName, string LastName, string? Phone, string? Email,
    bool SmsConsent, long? HomeBranchId, string? BlockedReason, bool HistoryConsent, DateTimeOffset? HistoryConsentAt,
    DateTimeOffset? SmsConsentAt, DateTimeOffset? ErasureRequestedAt, DateTimeOffset? ErasureDeclinedAt, string? ErasureDeclineReason);

internal sealed record NewPatron(string CardNumber, string PinHash, string FirstName, string LastName, string? Phone, string? Email,
    bool SmsConsent, long? HomeBranchId, DateTimeOffset CreatedAt);

internal sealed class PatronStore(Db db)
{
    const string Columns = """
        id, card_number, first_name, last_name, phone, email, sms_consent, home_branch_id, blocked_reason,
        history_consent, history_consent_at, sms_consent_at, erasure_requested_at, erasure_declined_at, erasure_decline_reason
        """;

    // The anonymous row (issue 16) that unlinked records point to can never sign in, nor can an erased patron
    // (card "~…") or a patron a full export of the library system no longer lists (deactivated, issue 12).
    const string CredentialsSql = """
        select id, pin_hash as hash, locked_until from patrons
        where upper(card_number) = upper(@CardNumber) and not anonymous and card_number not like '~%' and deactivated_at is null
        """;

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

    /// <summary>
    /// The phone desk's one search box (issue 10): a card number, words of the name in any order, case and accents
    /// ("berenice dupont" finds "Bérénice Dupont"), or a phone number written any usual way (<paramref name="phone"/>,
    /// already in E.164), or the last digits of one. Exact card first, then by name.
    /// </summary>
    public async Task<IReadOnlyList<PatronRow>> SearchAsync(string query, string? phone, int limit, CancellationToken ct)
    {
        var words = SearchText.Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(5).ToList();
        var digits = new string(query.Where(char.IsAsciiDigit).ToArray()).TrimStart('0'); // "06 12" is "+33 6 12"
        var onlyPhoneCharacters = query.All(ch => char.IsAsciiDigit(ch) || " .-+()".Contains(ch));
        var parameters = new DynamicParameters(new
        {
            Query = query,
            Phone = phone,
            // "56 07", the end of a number the caller reads out
            Digits = onlyPhoneCharacters && digits.Length >= 4 ? "%" + digits + "%" : null,
            Limit = limit,
        });
        var haystack = db.Dialect.Fold("first_name || ' ' || last_name || ' ' || card_number");
        var conditions = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            conditions.Add($"{haystack} like @W{i}");
            parameters.Add($"W{i}", "%" + words[i].Replace("%", "").Replace("_", "") + "%");
        }
        var byName = conditions.Count == 0 ? "" : "or (" + string.Join(" and ", conditions) + ")";
        var sql = $"""
            select {Columns} from patrons
            where not anonymous and (upper(card_number) = upper(@Query) or phone = @Phone or (@Digits is not null and phone like @Digits) {byName})
            order by case when upper(card_number) = upper(@Query) then 0 else 1 end, upper(last_name), upper(first_name), id
            limit @Limit
            """;
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<PatronRow>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
    }

    // The consent's date changes only when the consent does (issue 16: given and withdrawn, with the date recorded).
    const string SetContactSql = """
        update patrons set phone = @Phone, sms_consent = @SmsConsent,
            sms_consent_at = case when sms_consent = @SmsConsent then sms_consent_at else @Now end
        where id = @Id
        """;

    public Task<int> SetContactAsync(UnitOfWork uow, long id, string? phone, bool smsConsent, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(SetContactSql, new { Id = id, Phone = phone, SmsConsent = smsConsent, Now = now }, ct);

    const string SetHistoryConsentSql = """
        update patrons set history_consent = @Consent,
            history_consent_at = case when history_consent = @Consent then history_consent_at else @Now end
        where id = @Id
        """;

    public Task<int> SetHistoryConsentAsync(UnitOfWork uow, long id, bool consent, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(SetHistoryConsentSql, new { Id = id, Consent = consent, Now = now }, ct);

    const string InsertSql = """
        insert into patrons (card_number, pin_hash, first_name, last_name, phone, email, sms_consent, home_branch_id, created_at)
        select @CardNumber, @PinHash, @FirstName, @LastName, @Phone, @Email, @SmsConsent, @HomeBranchId, @CreatedAt
        where not exists (select 1 from patrons where upper(card_number) = upper(@CardNumber))
        returning id
        """;

    /// <summary>Creates the patron; null when the card number is taken.</summary>
    public Task<long?> CreateAsync(UnitOfWork uow, NewPatron patron, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<long?>(InsertSql, patron, ct);

    const string SyncSql = """
        update patrons set first_name = @FirstName, last_name = @LastName, phone = coalesce(@Phone, phone),
                           email = coalesce(@Email, email), blocked_reason = @BlockedReason
        where upper(card_number) = upper(@CardNumber)
        """;

    /// <summary>
    /// The patron as the library system describes them (issue #13): name, phone and email when given,
    /// and its blocks; created with <paramref name="patron"/>'s values (and unusable PIN hash) when new.
    /// </summary>
    /// <returns>True when the patron was created.</returns>
    public async Task<bool> SyncFromLibrarySystemAsync(UnitOfWork uow, NewPatron patron, string? blockedReason, CancellationToken ct)
    {
        var args = new { patron.CardNumber, patron.FirstName, patron.LastName, patron.Phone, patron.Email, BlockedReason = blockedReason };
        if (await uow.ExecuteAsync(SyncSql, args, ct) > 0) return false;
        await CreateAsync(uow, patron, ct);
        await uow.ExecuteAsync(SyncSql, args, ct);
        return true;
    }

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    /// <summary>The card number of the anonymous row; "~" is refused by every card number validator.</summary>
    public const string AnonymousCard = "~anonyme";

    const string CreateAnonymousSql = """
        insert into patrons (card_number, pin_hash, first_name, last_name, sms_consent, anonymous, blocked_reason, created_at, deactivated_at)
        select @Card, '', 'Lecteur', 'anonyme', @No, @Yes, 'Compte technique : les données anonymisées y sont rattachées.', @Now, @Now
        where not exists (select 1 from patrons where anonymous = @Yes)
        on conflict do nothing
        """;
    const string AnonymousIdSql = "select id from patrons where anonymous = @Yes";

    /// <summary>
    /// The one anonymous patron's id (Koha's "AnonymousPatron"), the row created on first use: records a figure
    /// counts are pointed at it instead of being deleted, as <c>patron_id</c> is not null on them.
    /// </summary>
    public static async Task<long> AnonymousIdAsync(UnitOfWork uow, DateTimeOffset now, CancellationToken ct)
    {
        await uow.ExecuteAsync(CreateAnonymousSql, new { Card = AnonymousCard, Yes = true, No = false, Now = now }, ct);
        return await uow.QuerySingleAsync<long>(AnonymousIdSql, new { Yes = true }, ct);
    }

    const string ForgetSignInsSql = "update patrons set failed_sign_ins = 0, locked_until = null where locked_until < @Before";

    /// <summary>Failed sign-in counts and locks older than <paramref name="before"/> are forgotten.</summary>
    public static Task<int> ForgetSignInAttemptsAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetSignInsSql, new { Before = before }, ct);

    // Asking again after staff declined: the earlier answer goes, the new request waits for staff.
    const string RequestErasureSql = """
        update patrons set erasure_requested_at = coalesce(erasure_requested_at, @Now), erasure_declined_at = null, erasure_decline_reason = null
        where id = @Id returning erasure_requested_at
        """;
    const string WithdrawErasureSql = "update patrons set erasure_requested_at = null where id = @Id";

    /// <summary>The patron asks for erasure: the first request's instant is kept (null: no such patron).</summary>
    public static Task<DateTimeOffset?> RequestErasureAsync(UnitOfWork uow, long id, DateTimeOffset now, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<DateTimeOffset?>(RequestErasureSql, new { Id = id, Now = now }, ct);

    public static Task<int> WithdrawErasureRequestAsync(UnitOfWork uow, long id, CancellationToken ct) =>
        uow.ExecuteAsync(WithdrawErasureSql, new { Id = id }, ct);

    const string DeclineErasureSql = """
        update patrons set erasure_declined_at = @Now, erasure_decline_reason = @Reason, erasure_requested_at = null
        where id = @Id and erasure_requested_at is not null
        """;

    /// <summary>Staff decline a pending request with a reason the patron reads on Mon compte (0: nothing pending).</summary>
    public static Task<int> DeclineErasureAsync(UnitOfWork uow, long id, string reason, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(DeclineErasureSql, new { Id = id, Reason = reason, Now = now }, ct);

    const string TombstoneSql = """
        update patrons set card_number = @Tombstone, pin_hash = '', first_name = '', last_name = '', phone = null, email = null,
            sms_consent = @No, home_branch_id = null, blocked_reason = null, failed_sign_ins = 0, locked_until = null,
            history_consent = @No, history_consent_at = null, sms_consent_at = null, erasure_requested_at = null,
            erasure_declined_at = null, erasure_decline_reason = null,
            expires_on = null, pin_code_hash = null, pin_code_expires_at = null, deactivated_at = @Now
        where id = @Id
        """;

    /// <summary>An erased patron's row keeps only its internal id: card <c>~efface-{id}</c>, no name, no contact, no PIN.</summary>
    public static Task<int> TombstoneAsync(UnitOfWork uow, long id, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(TombstoneSql, new { Id = id, Tombstone = $"~efface-{id}", No = false, Now = now }, ct);
}
