using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Privacy;
using ClickCollect.Api.Features.SurpriseSelections;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Patrons;

/// <summary>
/// What the patron record page shows beside the holds, loans and fines it reads from their own routes
/// (<c>/api/holds</c>, <c>/api/loans</c>, <c>/api/patrons/{card}/fines</c>, filtered by card).
/// </summary>
internal sealed record PatronRecordResponse(PatronResponse Patron, IReadOnlyList<AppointmentResponse> Appointments,
    IReadOnlyList<SelectionRequestResponse> SelectionRequests, IReadOnlyList<OutboxItem> Sms);

/// <summary>The patron's phone and SMS consent, as staff or the patron set them.</summary>
internal sealed record PatronContactRequest(string? Phone, bool SmsConsent);

internal sealed class PatronContactRequestValidator : AbstractValidator<PatronContactRequest>
{
    public PatronContactRequestValidator()
    {
        RuleFor(r => r.Phone).MaximumLength(40);
        RuleFor(r => r.SmsConsent).Equal(false).When(r => string.IsNullOrWhiteSpace(r.Phone))
            .WithMessage("Le consentement SMS demande un numéro de téléphone.");
    }
}

/// <summary>The staff patron record (issue 10 item 2) and the contact details staff and patrons may change.</summary>
internal static class PatronRecord
{
    public static void MapPatronRecord(this RouteGroupBuilder patrons)
    {
        patrons.MapGet("/{cardNumber}/record", GetAsync).WithName("GetPatronRecord")
            .WithSummary("The patron record for staff: identity, appointments, surprise-selection requests, recent SMS (opening it is logged)")
            .RequireAuthorization(Policies.Staff).ProducesProblem(StatusCodes.Status404NotFound);
        patrons.MapPut("/me/contact", SetOwnContactAsync).WithName("SetOwnPatronContact")
            .WithSummary("The signed-in patron changes their phone number and SMS consent")
            .RequireAuthorization(Policies.Patron).WithValidation<PatronContactRequest>();
        patrons.MapPut("/{cardNumber}/contact", SetContactAsync).WithName("SetPatronContact")
            .WithSummary("Staff change a patron's phone number and SMS consent")
            .RequireAuthorization(Policies.Staff).WithValidation<PatronContactRequest>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    static async Task<Results<Ok<PatronRecordResponse>, ProblemHttpResult>> GetAsync(string cardNumber, CurrentUser user, PatronStore patrons,
        AppointmentStore appointments, SelectionStore selections, OutboxStore outbox, PatronAccessLog accessLog, HttpContext http, TimeProvider clock,
        CancellationToken ct)
    {
        if (await patrons.FindByCardAsync(cardNumber.Trim(), ct) is not { } patron) return Problems.NotFound("La carte", cardNumber);
        var now = clock.GetUtcNow();
        // DESIGN "Non-functional": staff access to patron records is logged (issue 16's access log: who, when, from which page).
        await accessLog.RecordAsync(user, patron.Id, PatronAccess.Open, PatronAccessLog.PageOf(http), ct);
        return TypedResults.Ok(new PatronRecordResponse(patron.ToResponse(),
            await appointments.ListAsync(new AppointmentFilter(PatronId: patron.Id), ct),
            (await selections.ListAsync(new SelectionFilter(PatronId: patron.Id, Limit: 50), now, ct)).Select(r => r.ToResponse(now, forStaff: true)).ToList(),
            await outbox.ListAsync(new OutboxFilter(PatronId: patron.Id, Limit: 20), ct)));
    }

    static async Task<Results<Ok<PatronResponse>, ProblemHttpResult>> SetOwnContactAsync(PatronContactRequest request, CurrentUser user,
        PatronStore patrons, BranchStore branches, Db db, TimeProvider clock, CancellationToken ct) =>
        await patrons.GetAsync(user.Id, ct) is { } patron
            ? await SetAsync(patron, request, patrons, branches, db, clock, ct)
            : Problems.NotFound("Le lecteur", user.Id);

    static async Task<Results<Ok<PatronResponse>, ProblemHttpResult>> SetContactAsync(string cardNumber, PatronContactRequest request,
        PatronStore patrons, BranchStore branches, Db db, TimeProvider clock, CancellationToken ct) =>
        await patrons.FindByCardAsync(cardNumber.Trim(), ct) is { } patron
            ? await SetAsync(patron, request, patrons, branches, db, clock, ct)
            : Problems.NotFound("La carte", cardNumber);

    static async Task<Results<Ok<PatronResponse>, ProblemHttpResult>> SetAsync(PatronRow patron, PatronContactRequest request, PatronStore patrons,
        BranchStore branches, Db db, TimeProvider clock, CancellationToken ct)
    {
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(request.Phone)
            && !PhoneNumber.TryNormalise(request.Phone, out phone, await branches.PhoneRegionAsync(patron.HomeBranchId, ct)))
            return Problems.Field("phone", "Numéro de téléphone non reconnu (ex. 06 12 34 56 78 ou +33 6 12 34 56 78).");
        if (request.SmsConsent && !PhoneNumber.IsMobile(phone))
            return Problems.Field("smsConsent", "Les SMS demandent un numéro de portable.");
        await db.WriteAsync(uow => patrons.SetContactAsync(uow, patron.Id, phone, request.SmsConsent, clock.GetUtcNow(), ct), ct);
        return TypedResults.Ok((await patrons.GetAsync(patron.Id, ct))!.ToResponse());
    }
}
