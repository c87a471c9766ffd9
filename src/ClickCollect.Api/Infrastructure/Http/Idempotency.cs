using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// Honours an <c>Idempotency-Key</c> header on a POST: the first answer is stored, the same key with
/// the same body replays it, the same key with another body is a 422 problem. Keys belong to the
/// caller (user and route), so two patrons can use the same key.
/// </summary>
/// <remarks>
/// A route marked <see cref="IdempotencyExtensions.WithIdempotencyInTransaction{TRequest}"/> (the booking) records
/// its answer in the very unit of work that makes its change (<see cref="IdempotencyClaim"/>): one COMMIT keeps
/// both, so a retry finds either nothing (and does the work) or the change with its answer, and no write
/// transaction is added for the key (#17). Two retries arriving together are serialised by the write: the
/// second finds the first's answer under its lock, rolls its own work back and replays it.
/// Other routes claim the key (an insert) before the handler runs, so two retries arriving together cannot
/// both create; the loser gets a 409 "in progress". REVIEW: on those, a crash between the handler's commit and
/// the stored answer leaves the key "in progress" for good; the client then needs a new key.
/// </remarks>
internal sealed class IdempotencyFilter<TRequest>(Db db, TimeProvider clock, IOptions<JsonOptions> json) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    const string ClaimSql = """
        insert into idempotency_keys (scope, key, request_hash, created_at) values (@Scope, @Key, @Hash, @Now)
        on conflict (scope, key) do nothing
        """;
    const string ReadSql = "select request_hash, status_code, response_body, location from idempotency_keys where scope = @Scope and key = @Key";
    const string SaveSql = "update idempotency_keys set status_code = @Status, response_body = @Body, location = @Location where scope = @Scope and key = @Key";
    const string ForgetSql = "delete from idempotency_keys where scope = @Scope and key = @Key and status_code is null";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0) return await next(context);
        if (key.Length > 200) return Problems.Field(Header, "La clé d'idempotence dépasse 200 caractères.");

        var user = CurrentUser.From(http.User);
        var scope = $"{user?.Role}:{user?.Id}:{http.Request.Method} {http.Request.Path}";
        var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, json.Value.SerializerOptions)));
        var ids = new { Scope = scope, Key = key };
        var ct = http.RequestAborted;

        if (http.GetEndpoint()?.Metadata.GetMetadata<RecordedInTransaction>() is not null)
            return await InTransactionAsync(context, next, scope, key, hash, ct);

        var claimed = await db.WriteAsync(uow => uow.ExecuteAsync(ClaimSql, new { Scope = scope, Key = key, Hash = hash, Now = clock.GetUtcNow() }, ct), ct) == 1;
        if (!claimed) return StoredAnswer.AnswerFor((await ReadAsync(ids, ct))!, hash);

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await db.WriteAsync(uow => uow.ExecuteAsync(ForgetSql, ids, CancellationToken.None), CancellationToken.None);
            throw;
        }
        var (status, body, location) = Describe(result);
        await db.WriteAsync(uow => uow.ExecuteAsync(SaveSql, new { Scope = scope, Key = key, Status = status, Body = body, Location = location }, ct), ct);
        return result;
    }

    async Task<object?> InTransactionAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string scope, string key, string hash,
        CancellationToken ct)
    {
        if (await ReadAsync(new { Scope = scope, Key = key }, ct) is { } stored) return StoredAnswer.AnswerFor(stored, hash);
        var claim = new IdempotencyClaim(scope, key, hash, clock.GetUtcNow(), Describe);
        context.HttpContext.Features.Set(claim);
        var result = await next(context); // an exception rolls the handler's unit of work back, answer included: nothing to forget
        if (claim.Answer is { } first) return first;
        if (claim.Recorded) return result;
        // Answered without writing (a refusal found before the unit of work): stored in a write of its own, as on other routes.
        return await db.WriteAsync(uow => claim.RecordAsync(uow, result, ct), ct) ? result : claim.Answer;
    }

    async Task<StoredAnswer?> ReadAsync(object ids, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<StoredAnswer>(new CommandDefinition(ReadSql, ids, cancellationToken: ct));
    }

    (int Status, string? Body, string? Location) Describe(object? result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var value = (result as IValueHttpResult)?.Value;
        var location = result?.GetType().GetProperty("Location")?.GetValue(result) as string;
        return (status, value is null ? null : JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions), location);
    }
}

/// <summary>An answer stored under an <c>Idempotency-Key</c> (no status yet: the first request is still being handled).</summary>
internal sealed class StoredAnswer
{
    public string RequestHash { get; init; } = "";
    public int? StatusCode { get; init; }
    public string? ResponseBody { get; init; }
    public string? Location { get; init; }

    /// <summary>What a request with an already used key gets: the stored answer again, or why not.</summary>
    public static IResult AnswerFor(StoredAnswer stored, string hash)
    {
        if (stored.RequestHash != hash)
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Clé d'idempotence déjà utilisée",
                "Cette clé a déjà servi pour une autre requête : utilisez une nouvelle clé.");
        if (stored.StatusCode is null)
            return Problems.Conflict("idempotency_in_progress", "Requête en cours", "La même requête est encore en cours de traitement.");
        return new Replay(stored.StatusCode.Value, stored.ResponseBody, stored.Location);
    }

    /// <summary>The stored answer, sent again byte for byte.</summary>
    sealed class Replay(int status, string? body, string? location) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.Headers["Idempotent-Replayed"] = "true";
            if (location is not null) http.Response.Headers.Location = location;
            if (body is null) return;
            http.Response.ContentType = status >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
            await http.Response.WriteAsync(body, Encoding.UTF8);
        }
    }
}

internal static class IdempotencyExtensions
{
    // A filter per request from the request's services, as AddEndpointFilter<IdempotencyFilter<TRequest>>() did, without
    // its expression tree and exception per route at every start: see ValidationFilterExtensions.WithValidation.
    public static RouteHandlerBuilder WithIdempotency<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilterFactory(static (_, next) => invocation =>
        {
            var services = invocation.HttpContext.RequestServices;
            return new IdempotencyFilter<TRequest>(services.GetRequiredService<Db>(), services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<IOptions<JsonOptions>>()).InvokeAsync(invocation, next);
        });

    /// <summary>
    /// Like <see cref="WithIdempotency{TRequest}"/>, for a handler that records its answer in its own unit of work
    /// (<see cref="IdempotencyClaim.Of"/>, then <see cref="IdempotencyClaim.RecordAsync"/> before committing).
    /// </summary>
    public static RouteHandlerBuilder WithIdempotencyInTransaction<TRequest>(this RouteHandlerBuilder builder) =>
        builder.WithIdempotency<TRequest>().WithMetadata(new RecordedInTransaction());
}

internal sealed class RecordedInTransaction;

/// <summary>
/// An <c>Idempotency-Key</c> no answer is stored for yet, handed to the handler of a route marked
/// <see cref="IdempotencyExtensions.WithIdempotencyInTransaction{TRequest}"/>: it records its answer with
/// <see cref="RecordAsync"/> in the unit of work that makes its change, before committing it (#17).
/// </summary>
internal sealed class IdempotencyClaim(string scope, string key, string hash, DateTimeOffset now,
    Func<object?, (int Status, string? Body, string? Location)> describe)
{
    const string RecordSql = """
        insert into idempotency_keys (scope, key, request_hash, created_at, status_code, response_body, location)
        values (@Scope, @Key, @Hash, @Now, @Status, @Body, @Location)
        on conflict (scope, key) do nothing
        """;
    const string ReadSql = "select request_hash, status_code, response_body, location from idempotency_keys where scope = @Scope and key = @Key";

    /// <summary>The claim of the request being handled, if it carries a key on a route that records it in its transaction.</summary>
    public static IdempotencyClaim? Of(HttpContext http) => http.Features.Get<IdempotencyClaim>();

    /// <summary>The answer is recorded in the handler's unit of work.</summary>
    public bool Recorded { get; private set; }

    /// <summary>What to answer instead when another request with the same key recorded its answer first.</summary>
    public IResult? Answer { get; private set; }

    /// <summary>
    /// Records <paramref name="result"/> as the answer to replay, in <paramref name="uow"/>. False when another request
    /// with the same key recorded one first: then do not commit (the first request did the work), and the filter
    /// answers what it recorded.
    /// </summary>
    public async Task<bool> RecordAsync(UnitOfWork uow, object? result, CancellationToken ct)
    {
        var (status, body, location) = describe(result);
        if (await uow.ExecuteAsync(RecordSql, new { Scope = scope, Key = key, Hash = hash, Now = now, Status = status, Body = body, Location = location }, ct) == 1)
            return Recorded = true;
        var stored = await uow.QuerySingleAsync<StoredAnswer>(ReadSql, new { Scope = scope, Key = key }, ct);
        Answer = StoredAnswer.AnswerFor(stored, hash);
        return false;
    }
}

/// <summary>What retention and erasure (issue 16) remove from <c>idempotency_keys</c>, which this folder owns.</summary>
internal static class IdempotencyRecords
{
    const string ForgetOlderSql = "delete from idempotency_keys where created_at < @Before";
    const string ForgetPatronSql = "delete from idempotency_keys where scope like @Scope or response_body like @CardLike";

    /// <summary>Stored answers older than <paramref name="before"/> (a replay is only promised for 24 hours).</summary>
    public static Task<int> ForgetOlderAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetOlderSql, new { Before = before }, ct);

    /// <summary>Erasure: the patron's own keys, and any stored answer that names their card.</summary>
    public static Task<int> ForgetPatronAsync(UnitOfWork uow, long patronId, string cardNumber, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetPatronSql, new { Scope = $"{Roles.Patron}:{patronId}:%", CardLike = $"%\"{cardNumber}\"%" }, ct);
}
