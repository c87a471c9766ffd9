using FluentValidation;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>Keep (or stop keeping) an item through the next proposals.</summary>
internal sealed record PinItemRequest(long CopyId, bool Pinned = true);

/// <summary>Take an item out; its title is not proposed to this request again.</summary>
internal sealed record RemoveItemRequest(long CopyId);

/// <summary>Put <c>NewCopyId</c> (found with the candidates search) in place of <c>CopyId</c>.</summary>
internal sealed record SwapItemRequest(long CopyId, long NewCopyId);

/// <summary>The librarian's personal word to the patron, sent with the "selection ready" message.</summary>
internal sealed record SelectionNoteRequest(string Note)
{
    public const int MaxLength = 500;
}

internal sealed class PinItemRequestValidator : AbstractValidator<PinItemRequest>
{
    public PinItemRequestValidator() => RuleFor(r => r.CopyId).GreaterThan(0);
}

internal sealed class RemoveItemRequestValidator : AbstractValidator<RemoveItemRequest>
{
    public RemoveItemRequestValidator() => RuleFor(r => r.CopyId).GreaterThan(0);
}

internal sealed class SwapItemRequestValidator : AbstractValidator<SwapItemRequest>
{
    public SwapItemRequestValidator()
    {
        RuleFor(r => r.CopyId).GreaterThan(0);
        RuleFor(r => r.NewCopyId).GreaterThan(0).NotEqual(r => r.CopyId).WithMessage("Choisissez un autre exemplaire.");
    }
}

internal sealed class SelectionNoteRequestValidator : AbstractValidator<SelectionNoteRequest>
{
    public SelectionNoteRequestValidator() => RuleFor(r => r.Note).NotNull().MaximumLength(SelectionNoteRequest.MaxLength);
}
