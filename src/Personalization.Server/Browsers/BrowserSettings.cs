using System.ComponentModel.DataAnnotations;

namespace Personalization.Server.Browsers;

/// <summary>
/// Web pages calling the service directly (section <c>Browser</c>): gRPC-Web, the origins allowed to
/// call (CORS), an HTTP/1.1 port for gRPC-Web without TLS, and the secret that signs customer tokens.
/// </summary>
public sealed class BrowserSettings : IValidatableObject
{
    public const string Section = "Browser";

    /// <summary>Shortest customer-token secret accepted, in characters.</summary>
    public const int MinSecretLength = 32;

    /// <summary>Origins whose pages may call (e.g. <c>https://shop.example</c>); empty allows no browser origin.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// A cleartext HTTP/1.1 port for gRPC-Web (browsers cannot speak cleartext HTTP/2); 0 means none.
    /// With TLS (Server:TlsCertificatePath) the main port serves gRPC-Web as well.
    /// </summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>
    /// The secret the site's backend signs customer tokens with (HMAC-SHA256; README: For websites and
    /// apps); empty means a publishable key may act for anonymous visitors only.
    /// </summary>
    public string CustomerTokenSecret { get; set; } = "";

    /// <summary>Longest lifetime a customer token may claim (its expiry after now).</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                yield return new ValidationResult($"'{origin}' is not an origin: scheme, host and optional port, no path (https://shop.example).", [nameof(AllowedOrigins)]);
            }
        }

        if (CustomerTokenSecret.Length is > 0 and < MinSecretLength)
        {
            yield return new ValidationResult($"at least {MinSecretLength} characters when set; got {CustomerTokenSecret.Length}.", [nameof(CustomerTokenSecret)]);
        }

        if (MaxTokenLifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult("must be positive.", [nameof(MaxTokenLifetime)]);
        }
    }
}
