using Microsoft.OpenApi.Models;

namespace Personalization.Server.Hosting;

/// <summary>
/// JSON over HTTP for callers without a gRPC stack (a CMS plugin, a tag manager, a webhook): the RPCs annotated with
/// <c>google.api.http</c> in the contract (Track, Decide, Recommend) are also served as <c>POST /v1/…</c> with a JSON
/// body, through gRPC JSON transcoding, so the same services, interceptors (API keys, roles, audit, errors) and
/// validation answer; their OpenAPI document is served at <see cref="DocumentPath"/>.
/// </summary>
public static class JsonHttpExtensions
{
    /// <summary>Where the OpenAPI document of the JSON routes is served.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Registers the OpenAPI document generator over the transcoded routes.</summary>
    public static IServiceCollection AddJsonHttpDocument(this IServiceCollection services)
    {
        services.AddGrpcSwagger();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Personalization JSON API",
                Version = "v1",
                Description = "The gRPC contract's Track, Decide and Recommend as JSON over HTTP (send the API key in the x-api-key header).",
            });
            // The contract's own Value and google.protobuf.Value share a short name: contract types keep theirs, others are named in full.
            swagger.CustomSchemaIds(type => type.Namespace == "Personalization.V1" ? type.Name : type.FullName!.Replace('+', '.'));
        });
        return services;
    }

    /// <summary>Serves the OpenAPI document at <see cref="DocumentPath"/>.</summary>
    public static void MapJsonHttpDocument(this WebApplication app) =>
        app.UseSwagger(options => options.RouteTemplate = "openapi/{documentName}.json");
}
