namespace Personalization.Console.Access;

/// <summary>
/// A person signed in through OpenID Connect (pure): the roles their groups map to, the person name the server's
/// audit trail records, and which of the console's per-role keys a call uses — the role the screen's service needs
/// when the person holds it, never a role they do not hold.
/// </summary>
public static class PersonRoles
{
    /// <summary>The roles a person's groups map to, sorted, each once; empty when none of the groups is mapped.</summary>
    public static IReadOnlyList<string> Map(IEnumerable<string> groups, IReadOnlyDictionary<string, string> groupRoles) =>
        groups.Select(g => groupRoles.TryGetValue(g, out var role) ? role : null).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The held role whose key a call that needs <paramref name="required"/> uses: that role when held, else admin
    /// when held, else the first held role (the server then refuses the call, as it would the person's own key).
    /// </summary>
    public static string? KeyRole(IReadOnlyList<string> held, string required) =>
        held.Contains(required) ? required
        : held.Contains(ScreenAccess.Admin) ? ScreenAccess.Admin
        : held.Count > 0 ? held[0] : null;

    /// <summary>
    /// Whether a key the console holds for <paramref name="role"/> could do more than the role: any role of the key's
    /// other than <paramref name="role"/> (the console refuses to use such a key, whatever the person's groups).
    /// </summary>
    public static bool Exceeds(string role, IEnumerable<string> keyRoles) => keyRoles.Any(r => r != role);

    /// <summary>
    /// The name the server's audit trail records for a person: the configured claim's value when it is 1–256 printable
    /// ASCII characters (what the server accepts in <c>x-on-behalf-of</c>), else the subject.
    /// </summary>
    public static string Person(string? claimValue, string subject) =>
        claimValue is { Length: > 0 and <= 256 } value && value.All(c => c is >= ' ' and <= '~') ? value : subject;
}
