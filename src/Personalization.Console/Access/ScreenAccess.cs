namespace Personalization.Console.Access;

/// <summary>
/// Which role each screen needs, mirroring the server's roles (the server still checks every call):
/// campaign-manager for segments, offers, campaigns, journeys, the calendar and reports; admin for customers;
/// data-scientist for models; admin may use every screen.
/// </summary>
public static class ScreenAccess
{
    /// <summary>The role that may do everything.</summary>
    public const string Admin = "admin";

    /// <summary>The role a screen needs.</summary>
    public static string Required(Screen screen) => screen switch
    {
        Screen.Customers => Admin,
        Screen.Models => "data-scientist",
        _ => "campaign-manager",
    };

    /// <summary>Whether a key with these roles may use the screen.</summary>
    public static bool Allows(IEnumerable<string> roles, Screen screen) => roles.Any(r => r == Admin || r == Required(screen));

    /// <summary>The screens a key with these roles may use, in menu order.</summary>
    public static IReadOnlyList<Screen> Allowed(IEnumerable<string> roles)
    {
        var held = roles.ToList();
        return Enum.GetValues<Screen>().Where(s => Allows(held, s)).ToList();
    }
}
