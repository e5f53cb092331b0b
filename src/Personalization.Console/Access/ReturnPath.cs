namespace Personalization.Console.Access;

/// <summary>Where a sign-in may send a person afterwards: only a path inside the console, so a sign-in link cannot send them elsewhere.</summary>
public static class ReturnPath
{
    /// <summary>The path when it is one inside the console ("/segments"), else "/".</summary>
    public static string Safe(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
