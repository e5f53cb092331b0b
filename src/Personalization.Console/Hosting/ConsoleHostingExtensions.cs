using Grpc.Net.Client;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;
using Personalization.Console.Access;
using Personalization.Console.Api;
using Personalization.Console.Components;

namespace Personalization.Console.Hosting;

/// <summary>Wiring of the console: settings, the gRPC channel, cookie sessions (and OpenID Connect sign-in where configured), Blazor and MudBlazor.</summary>
public static class ConsoleHostingExtensions
{
    /// <summary>Registers everything the console needs.</summary>
    public static WebApplicationBuilder AddPersonalizationConsole(this WebApplicationBuilder builder)
    {
        // Serves MudBlazor's and Blazor's files from a build output too, not only from a publish folder.
        builder.WebHost.UseStaticWebAssets();
        var settings = ConsoleSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(_ => GrpcChannel.ForAddress(settings.ServerAddress));
        builder.Services.AddScoped<ServerApi>();
        builder.Services.AddScoped<ViewerTime>();

        var authentication = builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.Cookie.Name = "personalization-console";
            options.Cookie.HttpOnly = true;
            // Lax with OpenID Connect: the identity provider's redirect back is a cross-site navigation, and a Strict
            // cookie set on it would not reach the page it redirects to. Changes still need the anti-forgery token.
            options.Cookie.SameSite = settings.Oidc.Enabled ? SameSiteMode.Lax : SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromMinutes(settings.SessionMinutes);
            options.SlidingExpiration = true;
            options.LoginPath = "/signin";
            options.AccessDeniedPath = "/signin";
        });
        if (settings.Oidc.Enabled)
        {
            authentication.AddConsoleOidc(settings);
        }

        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidator>();
        builder.Services.AddAntiforgery();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    /// <summary>Maps the pages, the static files, OpenID Connect sign-in (when configured) and sign-out.</summary>
    public static WebApplication MapPersonalizationConsole(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        // A form post with the anti-forgery token: no other site can sign a person out.
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("The sign-out form's anti-forgery token is missing or wrong.");
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/signin");
        }).DisableAntiforgery();
        if (app.Services.GetRequiredService<ConsoleSettings>().Oidc.Enabled)
        {
            app.MapConsoleOidc();
        }

        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }
}
