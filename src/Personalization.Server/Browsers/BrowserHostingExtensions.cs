using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Personalization.Server.Hosting;

namespace Personalization.Server.Browsers;

/// <summary>Wires web pages' access: gRPC-Web on every service, CORS for the allowed origins only, and the HTTP/1.1 port.</summary>
public static class BrowserHostingExtensions
{
    /// <summary>The CORS policy of browser calls.</summary>
    public const string CorsPolicy = "browsers";

    /// <summary>Registers the settings, gRPC-Web and the CORS policy (no origin when the allow-list is empty).</summary>
    public static WebApplicationBuilder AddBrowsers(this WebApplicationBuilder builder, BrowserSettings browsers)
    {
        builder.Services.AddSingleton(browsers);
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(browsers.AllowedOrigins)
            .WithMethods("POST", "OPTIONS")
            .WithHeaders("content-type", "x-grpc-web", "x-user-agent", "grpc-timeout", "x-api-key", CustomerTokens.Header)
            .WithExposedHeaders("grpc-status", "grpc-message", "grpc-encoding", "grpc-accept-encoding")));
        return builder;
    }

    /// <summary>Listens on the browser port (HTTP/1.1, cleartext) when one is set.</summary>
    public static void ListenForBrowsers(this KestrelServerOptions kestrel, BrowserSettings browsers, ServerSettings server)
    {
        if (browsers.Port > 0)
        {
            kestrel.Listen(IPAddress.Parse(server.ListenAddress), browsers.Port, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    /// <summary>Adds CORS and gRPC-Web (on for every service: the API key decides what a caller may do).</summary>
    public static void UseBrowsers(this WebApplication app)
    {
        app.UseCors(CorsPolicy);
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
    }
}
