using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ClickCollect.Api.Infrastructure.OpenApi;

internal static class OpenApiSetup
{
    public static void AddClickCollectOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "ClickCollect",
                Version = "v1",
                Description = "Cliqué-retiré pour les réseaux de bibliothèques publiques. Licence Apache-2.0.",
                License = new OpenApiLicense { Name = "Apache-2.0", Identifier = "Apache-2.0" },
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "accessToken from POST /api/staff/sign-in or POST /api/patrons/sign-in",
            };
            return Task.CompletedTask;
        }));
}
