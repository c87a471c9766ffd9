using System.Text;
using System.Text.Json;
using FluentValidation;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// Validates the handler's <typeparamref name="T"/> argument with its registered FluentValidation
/// validator; a failure answers a 400 validation problem keyed by the camelCase JSON path and the
/// handler never runs.
/// </summary>
internal sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var argument = context.Arguments.OfType<T>().FirstOrDefault();
        if (argument is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Le corps de la requête est requis."] },
                title: "Requête invalide");

        var result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
        if (result.IsValid) return await next(context);

        var errors = result.Errors
            .GroupBy(e => JsonPath(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return TypedResults.ValidationProblem(errors, title: "Requête invalide");
    }

    /// <summary><c>Items[0].CopyId</c> → <c>items[0].copyId</c>.</summary>
    internal static string JsonPath(string propertyName)
    {
        var path = new StringBuilder();
        foreach (var segment in propertyName.Split('.'))
        {
            if (path.Length > 0) path.Append('.');
            var bracket = segment.IndexOf('[');
            var name = bracket < 0 ? segment : segment[..bracket];
            path.Append(JsonNamingPolicy.CamelCase.ConvertName(name));
            if (bracket >= 0) path.Append(segment[bracket..]);
        }
        return path.ToString();
    }
}

internal static class ValidationFilterExtensions
{
    // As AddEndpointFilter<ValidationFilter<T>>() did: a filter per request from the request's services, so the validator
    // is built at its route's first request, not at start-up. Written out because that method compiles an expression
    // tree per route and first throws and catches an InvalidOperationException looking for a constructor taking the
    // factory context: 46 of each at every start, about 6 % of the start-up's CPU before the first answer
    // (dotnet-trace, #17).
    public static RouteHandlerBuilder WithValidation<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilterFactory(static (_, next) => invocation =>
            new ValidationFilter<T>(invocation.HttpContext.RequestServices.GetRequiredService<IValidator<T>>()).InvokeAsync(invocation, next))
            .ProducesValidationProblem();
}
