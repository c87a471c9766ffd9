namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// A refused line of an imported file: the physical line where its record starts, the column
/// (camelCase, as in the file's header) and the reason, in French for the person fixing the file.
/// </summary>
internal sealed record ImportRejection(int Line, string Field, string Reason);
