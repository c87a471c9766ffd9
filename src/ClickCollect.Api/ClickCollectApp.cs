using System.Text.Json;
using System.Text.Json.Serialization;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Demo;
using ClickCollect.Api.Features.Figures;
using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.PickLists;
using ClickCollect.Api.Features.Privacy;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Features.Staff;
using ClickCollect.Api.Features.SurpriseSelections;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Health;
using ClickCollect.Api.Infrastructure.Http;
using ClickCollect.Api.Infrastructure.OpenApi;
using ClickCollect.Api.Infrastructure.Telemetry;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClickCollect.Api;

/// <summary>The only place that lists every feature: services, middleware and routes.</summary>
internal static class ClickCollectApp
{
    public static void AddClickCollect(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Infrastructure.Caching.ConfigurationCache>();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Validate(o => o.IsSqlite || o.Provider.Equals("postgres", StringComparison.OrdinalIgnoreCase),
                "Database:Provider must be sqlite or postgres.")
            .ValidateOnStart();
        services.AddSingleton(sp => Db.Create(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value,
            configuration.GetConnectionString("ClickCollect")));
        services.AddSingleton<Migrator>();
        DapperSetup.Register();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            StrictJson.Apply(o.SerializerOptions);
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
            // Problems written by the framework (routing, authorization, binding) get a stable code too.
            if (!c.ProblemDetails.Extensions.ContainsKey("code") && Problems.CodeOf(c.ProblemDetails.Status) is { } code)
                c.ProblemDetails.Extensions["code"] = code;
            // An empty 400 from a generated request delegate: a query or route value it could not read.
            if (c.Exception is null && c.ProblemDetails.Status == StatusCodes.Status400BadRequest
                && !c.ProblemDetails.Extensions.ContainsKey("errors") && BindingFailures.Of(c.HttpContext) is { } errors)
            {
                c.ProblemDetails.Title = "Requête invalide";
                c.ProblemDetails.Detail = errors.First().Value[0];
                c.ProblemDetails.Extensions["errors"] = errors;
            }
        });
        services.AddExceptionHandler<ProblemMapping>();
        builder.WebHost.ConfigureKestrel(o =>
        {
            // No server-wide cap: every request gets its route's limit from BodyLimit.Enforce (the feature's
            // WithBodyLimit, else BodyLimit.Default), set before anything reads the body.
            o.Limits.MaxRequestBodySize = null;
            InputEdge.RaiseKestrelLimits(o.Limits);
            o.AddServerHeader = false; // #14: no product banner for scanners
        });
        ValidatorOptions.Global.LanguageManager.Culture = new System.Globalization.CultureInfo("fr");

        builder.AddClickCollectAuth();
        builder.AddClickCollectReverseProxy();
        services.AddClickCollectRateLimiting(configuration);
        services.AddClickCollectOpenApi();
        services.AddClickCollectHealth();
        builder.AddClickCollectTelemetry();

        services.AddNetwork();
        services.AddSlots();
        services.AddHolds();
        services.AddHoldAlerts();
        services.AddAppointments();
        services.AddPickLists();
        services.AddStaff();
        services.AddPatrons();
        services.AddDemo();
        services.AddNotifications();
        services.AddCatalogue();
        services.AddAudit();
        services.AddLoans();
        services.AddFines();
        services.AddLockdowns();
        services.AddSelections();
        services.AddFigures();
        services.AddIls();
        services.AddPrivacy();
    }

    public static void UseClickCollect(this WebApplication app)
    {
        app.UseClickCollectReverseProxy();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(BrowserSafety.Apply);
        app.Use(NotFoundPage.Serve); // inside the status code pages: a page for a browser, a problem for the rest
        app.UseDefaultFiles();
        // Pages load plain ES modules with no build step (no hashed file names): browsers must ask
        // again (a 304 when unchanged) so a deploy never leaves a stale module beside a new one.
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.UseRouting();
        app.UseAuthentication();
        app.Use(SessionStore.CheckAsync);
        app.UseAuthorization();
        app.UseRateLimiter();
        app.Use(BodyLimit.Enforce);
        app.Use(InputEdge.RefuseNul);
    }

    public static void MapClickCollect(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapClickCollectHealth();

        var api = app.MapGroup("/api");
        api.AddEndpointFilterFactory(InputEdge.BoundDates);
        api.MapNetwork();
        api.MapSlots();
        api.MapHoldAlerts(); // before MapHolds: /holds/alerts is not a hold id
        api.MapHolds();
        api.MapAppointments();
        api.MapPickLists();
        api.MapStaff();
        api.MapPatrons();
        api.MapCatalogue();
        api.MapSmsOutbox();
        app.MapTwilioWebhooks();
        api.MapLoans();
        api.MapFines();
        api.MapLockdowns();
        api.MapAudit();
        api.MapIls();
        api.MapSelections();
        api.MapFigures();
        api.MapPrivacy();
    }
}
