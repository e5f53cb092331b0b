using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Personalization.Console.Tests;

/// <summary>A person the test identity provider signs in: their subject, name, e-mail and groups.</summary>
public sealed record TestPerson(string Subject, string Name, string Email, IReadOnlyList<string> Groups);

/// <summary>
/// A minimal OpenID Connect provider on loopback, real HTTP, for the console's sign-in tests: a discovery document,
/// a JWKS with one RSA key, an authorize endpoint that approves the configured person at once (no password page)
/// and answers with a code, and a token endpoint that checks the client, the redirect address and the PKCE
/// verifier and issues an RS256-signed identity token with the person's groups.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    /// <summary>The console's client id here.</summary>
    public const string ClientId = "personalization-console";

    /// <summary>The console's client secret here.</summary>
    public const string ClientSecret = "console-secret";

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = $"k{Guid.NewGuid():N}"[..9];
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);
    private WebApplication? _app;

    /// <summary>The issuer address (the console's Console:Oidc:Authority).</summary>
    public Uri Issuer { get; private set; } = null!;

    /// <summary>Who the next sign-in approves.</summary>
    public TestPerson Person { get; set; } = new("nobody", "Nobody", "nobody@example.test", []);

    /// <summary>How many identity tokens were issued.</summary>
    public int TokensIssued => _tokensIssued;

    private int _tokensIssued;

    /// <summary>Starts listening on a loopback port.</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = IssuerText,
            ["authorization_endpoint"] = $"{IssuerText}/authorize",
            ["token_endpoint"] = $"{IssuerText}/token",
            ["jwks_uri"] = $"{IssuerText}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var parameters = _key.ExportParameters(includePrivateParameters: false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = _keyId, n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) } } });
        });
        app.MapGet("/authorize", Authorize);
        app.MapPost("/token", TokenAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Issuer = new Uri(address);
        _app = app;
    }

    private string IssuerText => Issuer.ToString().TrimEnd('/');

    // Approves the configured person at once and sends the browser back with a code.
    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        var redirect = query["redirect_uri"].ToString();
        if (query["client_id"] != ClientId || query["response_type"] != "code" || !Uri.TryCreate(redirect, UriKind.Absolute, out var back) || !back.IsLoopback)
        {
            return Results.BadRequest("unknown client, response type or redirect address");
        }

        if (query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
        {
            return Results.BadRequest("PKCE with S256 is required");
        }

        var code = Base64Url(RandomNumberGenerator.GetBytes(24));
        _codes[code] = new Grant(Person, redirect, query["nonce"].ToString(), query["code_challenge"].ToString());
        return Results.Redirect($"{redirect}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    // Exchanges a code (once) for a signed identity token, checking the client, the redirect address and the PKCE verifier.
    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var (clientId, secret) = (form["client_id"].ToString(), form["client_secret"].ToString());
        if (request.Headers.Authorization.ToString() is { } basic && basic.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..])).Split(':', 2);
            (clientId, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }

        if (clientId != ClientId || secret != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"]
            || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.CodeChallenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = IssuerText,
            ["sub"] = grant.Person.Subject,
            ["aud"] = ClientId,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 600,
            ["nonce"] = grant.Nonce,
            ["name"] = grant.Person.Name,
            ["email"] = grant.Person.Email,
            ["groups"] = grant.Person.Groups,
        };
        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new { access_token = Base64Url(RandomNumberGenerator.GetBytes(24)), token_type = "Bearer", expires_in = 600, id_token = Sign(claims) });
    }

    private string Sign(Dictionary<string, object> claims)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = _keyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _key.Dispose();
    }

    private sealed record Grant(TestPerson Person, string RedirectUri, string Nonce, string CodeChallenge);
}
