using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Caching;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Audit;

/// <summary>One line of the audit trail: who did what to which thing, and the details (JSON).</summary>
internal sealed record AuditEntry(long Id, DateTimeOffset OccurredAt, long? StaffId, string Actor, string Action, string Entity, long? EntityId,
    JsonElement Details);

/// <summary>
/// The audit trail (issue 5: lockdown changes are audited, who, when, what). Entries are written in the
/// unit of work of the change they describe, so there is never a change without its entry or the reverse.
/// </summary>
internal sealed class AuditStore(Db db, ConfigurationCache configuration)
{
    /// <summary>camelCase like the API, enums as their camelCase names, so details read like the answers they came from.</summary>
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    static string InsertSql(SqlDialect sql) => $"""
        insert into audit_log (occurred_at, staff_id, actor, action, entity, entity_id, details)
        values (@Now, @StaffId, @Actor, @Action, @Entity, @EntityId, {sql.Json("@Details")})
        """;

    public Task WriteAsync(UnitOfWork uow, CurrentUser who, string action, string entity, long? entityId, object details, DateTimeOffset now,
        CancellationToken ct)
    {
        // Staff changed the network, opening hours, a lockdown…: what is cached from the configuration goes (#17).
        configuration.Changed();
        return uow.ExecuteAsync(InsertSql(uow.Dialect), new
        {
            Now = now,
            StaffId = who.IsStaff ? who.Id : (long?)null,
            // Staff are named (who did what); a patron only by internal id (issue 16: no patron's name in the trail).
            Actor = who.IsStaff ? $"{who.Name} ({who.Role})" : $"#{who.Id} ({who.Role})",
            Action = action,
            Entity = entity,
            EntityId = entityId,
            Details = JsonSerializer.Serialize(details, Json),
        }, ct);
    }

    /// <summary>
    /// Runs a change and, when <paramref name="done"/> says it changed something, writes its entry (before and
    /// after) in the same unit of work: the network pages' edits (issue 11) are audited this way.
    /// </summary>
    public async Task<T> ChangeAsync<T>(Db db, CurrentUser who, string action, string entity, long? entityId, object? before, object? after,
        Func<UnitOfWork, Task<T>> change, Func<T, bool> done, DateTimeOffset now, CancellationToken ct, Func<T, long?>? idOf = null)
    {
        var changed = await db.WriteAsync(async uow =>
        {
            var result = await change(uow);
            if (done(result))
                await WriteAsync(uow, who, action, entity, idOf?.Invoke(result) ?? entityId, new { Before = before, After = after }, now, ct);
            return result;
        }, ct);
        configuration.Changed(); // again once committed: a calendar read between the change and its commit is not kept
        return changed;
    }

    sealed class Row
    {
        public long Id { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public long? StaffId { get; init; }
        public string Actor { get; init; } = "";
        public string Action { get; init; } = "";
        public string Entity { get; init; } = "";
        public long? EntityId { get; init; }
        public string Details { get; init; } = "{}";
    }

    static string ListSql(string? entity, long? entityId) => $"""
        select id, occurred_at, staff_id, actor, action, entity, entity_id, details from audit_log
        {new SqlWhere().And(entity is not null, "entity = @Entity").And(entityId is not null, "entity_id = @EntityId")}
        order by occurred_at desc, id desc
        limit @Limit
        """;

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? entity, long? entityId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(ListSql(entity, entityId), new { Entity = entity, EntityId = entityId, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => new AuditEntry(r.Id, r.OccurredAt, r.StaffId, r.Actor, r.Action, r.Entity, r.EntityId,
            JsonDocument.Parse(r.Details).RootElement.Clone())).ToList();
    }

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    static string ReplaceDetailsSql(SqlDialect sql) => $"update audit_log set details = {sql.Json("@Details")} where id = @Id";

    /// <summary>An entry's details with the patron's personal data taken out (<c>Privacy/AuditScrub</c> decides what goes).</summary>
    public static Task<int> ReplaceDetailsAsync(UnitOfWork uow, long id, string details, CancellationToken ct) =>
        uow.ExecuteAsync(ReplaceDetailsSql(uow.Dialect), new { Id = id, Details = details }, ct);
}
