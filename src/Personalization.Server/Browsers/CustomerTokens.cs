using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Personalization.Server.Browsers;

/// <summary>
/// Tokens a site's backend gives its signed-in visitor's page, so a publishable key may act for that
/// customer: <c>{expiry in Unix seconds}.{base64url HMAC-SHA256(secret, customer id + "\n" + expiry)}</c>,
/// sent in the header <see cref="Header"/>. Pure: the secret and the clock come in.
/// </summary>
public static class CustomerTokens
{
    /// <summary>The header that carries the token.</summary>
    public const string Header = "x-customer-token";

    /// <summary>A token for <paramref name="customerId"/> valid until <paramref name="expires"/>.</summary>
    public static string Sign(string customerId, DateTimeOffset expires, string secret)
    {
        var expiry = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{expiry}.{Signature(customerId, expiry, secret)}";
    }

    /// <summary>Why a token does not let its bearer act for <paramref name="customerId"/> at <paramref name="now"/>; null when it does.</summary>
    public static string? Problem(string? token, string customerId, string secret, DateTimeOffset now, TimeSpan maxLifetime)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "missing";
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return "malformed: expected expiry.signature";
        }

        var expected = Encoding.ASCII.GetBytes(Signature(customerId, token[..dot], secret));
        var given = Encoding.ASCII.GetBytes(token[(dot + 1)..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return "not signed for this customer";
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(Math.Min(expiry, 253_402_300_799));
        return expires <= now ? "expired"
            : expires - now > maxLifetime ? $"expiring more than {maxLifetime.TotalHours:0.#} hours from now"
            : null;
    }

    private static string Signature(string customerId, string expiry, string secret)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{customerId}\n{expiry}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
