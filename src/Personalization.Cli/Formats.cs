using System.Globalization;

namespace Personalization.Cli;

/// <summary>How the CLI prints numbers: the same in every culture.</summary>
public static class Formats
{
    /// <summary>A share as a percentage, e.g. 0.2262 → "22.6%".</summary>
    public static string Percent(double share, int decimals = 1) =>
        (share * 100).ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture) + "%";

    /// <summary>A count with thousands separators, e.g. "1,000,000".</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
