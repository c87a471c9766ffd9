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
/// The key is claimed (an insert) before the handler runs, so two retries arriving together cannot
/// both create; the loser gets a 409 "in progress". REVIEW: a crash between the handler's commit and
/// the stored answer leaves the key "in progress" for good; the client then needs a new key.
/// </remarks>
internal sealed class IdempotencyFilter<TRequest>(Db db, TimeProvider clock, IOptions<JsonOptions> json) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    sealed class Stored { public string RequestHash { get; init; } = ""; public int? StatusCode { get; init; } public string? ResponseBody { get; init; } public string? Location { get; init; } }

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

        var claimed = await db.WriteAsync(uow => uow.ExecuteAsync(ClaimSql, new { Scope = scope, Key = key, Hash = hash, Now = clock.GetUtcNow() }, ct), ct) == 1;
        if (!claimed)
        {
            Stored stored;
            await using (var c = await db.OpenAsync(ct))
                stored = await c.QuerySingleAsync<Stored>(new CommandDefinition(ReadSql, ids, cancellationToken: ct));
            if (stored.RequestHash != hash)
                return Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Clé d'idempotence déjà utilisée",
                    "Cette clé a déjà servi pour une autre requête : utilisez une nouvelle clé.");
            if (stored.StatusCode is null)
                return Problems.Conflict("idempotency_in_progress", "Requête en cours", "La même requête est encore en cours de traitement.");
            return new Replay(stored.StatusCode.Value, stored.ResponseBody, stored.Location);
        }

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

    (int Status, string? Body, string? Location) Describe(object? result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var value = (result as IValueHttpResult)?.Value;
        var location = result?.GetType().GetProperty("Location")?.GetValue(result) as string;
        return (status, value is null ? null : JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions), location);
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
    public static RouteHandlerBuilder WithIdempotency<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<IdempotencyFilter<TRequest>>();
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
