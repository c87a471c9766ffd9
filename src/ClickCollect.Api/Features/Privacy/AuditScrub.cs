using System.Text.Json.Nodes;
using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Privacy;

/// <summary>
/// Audit entries keep who did what, but not the patron's personal data (issue 16): a card number inside an
/// entry's details becomes the patron's internal id (<c>patronId</c>), and names, phone numbers, emails and
/// notes about a patron are dropped. Run by the daily retention job; entries already scrubbed are left alone.
/// </summary>
internal sealed class AuditScrub
{
    static readonly string[] CardKeys = ["cardNumber", "patronCardNumber"];
    static readonly string[] PersonalKeys = ["firstName", "lastName", "patronName", "phone", "toNumber", "email", "body", "pin"];
    // A note on a payment or a waiver is free text about the patron; a lockdown's note is not.
    static readonly string[] PatronEntities = ["patron", "patrons"];

    sealed class Row
    {
        public long Id { get; init; }
        public string Entity { get; init; } = "";
        public long? EntityId { get; init; }
        public string Details { get; init; } = "{}";
    }

    static string CandidatesSql(SqlDialect sql) => $"""
        select id, entity, entity_id, {sql.Pick("details", "details::text")} as details from audit_log
        where entity in ('patron', 'patrons') or lower({sql.Pick("details", "details::text")}) like '%cardnumber%'
           or lower({sql.Pick("details", "details::text")}) like '%firstname%' or lower({sql.Pick("details", "details::text")}) like '%"phone"%'
        """;
    const string CardSql = "select id from patrons where upper(card_number) = upper(@Card)";

    public async Task<int> ScrubAsync(UnitOfWork uow, CancellationToken ct)
    {
        var scrubbed = 0;
        var ids = new Dictionary<string, long?>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in (await uow.QueryAsync<Row>(CandidatesSql(uow.Dialect), null, ct)).AsList())
        {
            if (JsonNode.Parse(row.Details) is not JsonObject details) continue;
            var aboutPatron = PatronEntities.Contains(row.Entity);
            var cards = new List<string>();
            if (!Scrub(details, aboutPatron, cards)) continue;
            long? patronId = aboutPatron ? row.EntityId : null;
            foreach (var card in cards)
            {
                if (!ids.TryGetValue(card, out var id))
                    ids[card] = id = await uow.QuerySingleOrDefaultAsync<long?>(CardSql, new { Card = card }, ct);
                patronId ??= id;
            }
            if (cards.Count > 0) details["patronId"] = patronId;
            await AuditStore.ReplaceDetailsAsync(uow, row.Id, details.ToJsonString(), ct);
            scrubbed++;
        }
        return scrubbed;
    }

    /// <summary>Removes personal properties at any depth; the card numbers removed are added to <paramref name="cards"/>.</summary>
    internal static bool Scrub(JsonNode? node, bool aboutPatron, List<string> cards)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (CardKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                    {
                        if (value is JsonValue v && v.TryGetValue<string>(out var card) && card.Length > 0) cards.Add(card);
                        o.Remove(key);
                        changed = true;
                    }
                    else if (PersonalKeys.Contains(key, StringComparer.OrdinalIgnoreCase) || (aboutPatron && key.Equals("note", StringComparison.OrdinalIgnoreCase)))
                    {
                        o.Remove(key);
                        changed = true;
                    }
                    else changed |= Scrub(value, aboutPatron, cards);
                }
                break;
            case JsonArray a:
                foreach (var item in a) changed |= Scrub(item, aboutPatron, cards);
                break;
        }
        return changed;
    }
}
