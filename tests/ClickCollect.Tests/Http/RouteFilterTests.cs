using System.Runtime.ExceptionServices;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ClickCollect.Tests.Http;

/// <summary>
/// #17 (start-up): AddEndpointFilter&lt;TFilter&gt;() compiled an expression tree and threw and caught an exception for
/// every route it was given, 52 of them at each start; WithValidation and WithIdempotency attach their filters without,
/// and still build the validator at the route's first request, not at start-up.
/// </summary>
public sealed class RouteFilterTests
{
    public sealed record Probe(string Name);

    sealed class ProbeValidator : AbstractValidator<Probe>
    {
        public static int Built;

        public ProbeValidator()
        {
            Interlocked.Increment(ref Built);
            RuleFor(p => p.Name).NotEmpty();
        }
    }

    [Fact]
    public async Task Validation_and_idempotency_are_attached_without_an_exception_and_build_no_validator_before_a_request()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IValidator<Probe>, ProbeValidator>();
        await using var app = builder.Build();
        var thread = Environment.CurrentManagedThreadId;
        var thrown = new List<string>();
        void Record(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread) thrown.Add(e.Exception.Message);
        }

        AppDomain.CurrentDomain.FirstChanceException += Record;
        try
        {
            app.MapPost("/probe", (Probe probe) => TypedResults.Ok(probe)).WithValidation<Probe>().WithIdempotency<Probe>();
            Assert.Single(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Record;
        }

        Assert.Empty(thrown);
        Assert.Equal(0, ProbeValidator.Built);
    }
}
