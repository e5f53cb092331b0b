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

/// <summary>Wiring of the console: settings, the gRPC channel, cookie sessions, Blazor and MudBlazor.</summary>
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

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.Cookie.Name = "personalization-console";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromMinutes(settings.SessionMinutes);
            options.SlidingExpiration = true;
            options.LoginPath = "/signin";
            options.AccessDeniedPath = "/signin";
        });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidator>();
        builder.Services.AddAntiforgery();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    /// <summary>Maps the pages, the static files and sign-out.</summary>
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
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }
}
