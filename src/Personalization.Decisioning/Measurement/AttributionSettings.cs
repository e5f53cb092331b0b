namespace Personalization.Decisioning.Measurement;

/// <summary>The attribution window and the time-decay half-life (settings <c>Decisions:AttributionWindowDays</c> and <c>Decisions:AttributionHalfLifeDays</c>).</summary>
public sealed record AttributionSettings(double WindowDays = AttributionSettings.DefaultWindowDays, double HalfLifeDays = AttributionSettings.DefaultHalfLifeDays)
{
    /// <summary>The window when nothing is configured: 14 days, the campaigns' conversion window.</summary>
    public const double DefaultWindowDays = 14;

    /// <summary>The time-decay half-life when nothing is configured: 7 days.</summary>
    public const double DefaultHalfLifeDays = 7;

    /// <summary>The longest window allowed; touches are kept this long at most.</summary>
    public const double MaxWindowDays = 30;

    /// <summary>The window as a time span.</summary>
    public TimeSpan Window => TimeSpan.FromDays(WindowDays);

    /// <summary>What is wrong with the settings (field, reason), or nothing.</summary>
    public IEnumerable<(string Field, string Reason)> Errors()
    {
        if (double.IsNaN(WindowDays) || WindowDays is < 1 or > MaxWindowDays)
        {
            yield return ("window_days", $"must be between 1 and {MaxWindowDays} days.");
        }

        if (double.IsNaN(HalfLifeDays) || HalfLifeDays is < 0.1 or > MaxWindowDays)
        {
            yield return ("half_life_days", $"must be between 0.1 and {MaxWindowDays} days.");
        }
    }
}
