namespace Personalization.Decisioning.Customers;

/// <summary>
/// Grain keys for customers. Known customers are keyed by their id; anonymous visitors by
/// <c>anon:</c> and their anonymous id, so the two id spaces can never collide.
/// </summary>
public static class CustomerKeys
{
    /// <summary>The prefix reserved for anonymous visitors; a customer id may not start with it.</summary>
    public const string AnonymousPrefix = "anon:";

    /// <summary>The grain key of an anonymous visitor.</summary>
    public static string Anonymous(string anonymousId) => AnonymousPrefix + anonymousId;

    /// <summary>Where an event lands: its customer id, or else its anonymous visitor.</summary>
    public static string For(CustomerEvent e) => e.CustomerId is { Length: > 0 } id ? id : Anonymous(e.AnonymousId!);

    /// <summary>Whether a grain key is an anonymous visitor's.</summary>
    public static bool IsAnonymous(string key) => key.StartsWith(AnonymousPrefix, StringComparison.Ordinal);
}
