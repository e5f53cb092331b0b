using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Decisions;

/// <summary>
/// Where a real-time request comes from: the slot, page, product, device, the caller's local clock
/// and free attributes. Eligibility rules read it as <c>context.placement</c>, <c>context.device</c>,
/// <c>context.attributes.x</c>…, model features as <c>context_placement</c>, <c>context_local_hour</c>…
/// </summary>
/// <param name="Placement">The slot being filled, e.g. "home-hero"; "" when none.</param>
/// <param name="Page">The page URL or screen name.</param>
/// <param name="ProductId">The product on the page, if any.</param>
/// <param name="Device">The device type, e.g. "mobile".</param>
/// <param name="LocalTime">The caller's wall-clock time (its fields read as the local date and hour); null means the customer's time zone.</param>
/// <param name="Attributes">Extra typed values by name.</param>
[Orleans.GenerateSerializer, Orleans.Immutable]
public sealed record PlacementContext(
    [property: Orleans.Id(0)] string Placement = "",
    [property: Orleans.Id(1)] string Page = "",
    [property: Orleans.Id(2)] string ProductId = "",
    [property: Orleans.Id(3)] string Device = "",
    [property: Orleans.Id(4)] DateTime? LocalTime = null,
    [property: Orleans.Id(5)] IReadOnlyDictionary<string, TraitValue>? Attributes = null)
{
    /// <summary>No context: a campaign, a journey or a request that says nothing of where it comes from.</summary>
    public static PlacementContext None { get; } = new();

    /// <summary>Whether a text is a placement name: 1 to 64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsPlacement(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The names rules may read after <c>context.</c> (besides <c>attributes.name</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = ["placement", "page", "product_id", "device", "local_hour", "local_weekday"];

    /// <summary>The local hour (0..23): the caller's clock when given, else <paramref name="now"/> in the customer's time zone.</summary>
    public int LocalHour(CustomerState state, DateTime now) => (LocalTime ?? TimeZones.Local(now, state.TimeZone)).Hour;

    /// <summary>The local ISO weekday (1 = Monday … 7 = Sunday), like <see cref="LocalHour"/>.</summary>
    public int LocalWeekday(CustomerState state, DateTime now)
    {
        var day = (LocalTime ?? TimeZones.Local(now, state.TimeZone)).DayOfWeek;
        return day == DayOfWeek.Sunday ? 7 : (int)day;
    }

    /// <summary>A text value by its name after <c>context.</c>; null when it is not a text or not given.</summary>
    public string? Text(string name) => name switch
    {
        "placement" => Placement,
        "page" => Page,
        "product_id" => ProductId,
        "device" => Device,
        _ when name.StartsWith("attributes.", StringComparison.Ordinal) => Attributes is not null && Attributes.TryGetValue(name["attributes.".Length..], out var v) ? v.ToString() : null,
        _ => null,
    };

    /// <summary>A numeric value by its name after <c>context.</c>; NaN when it is not a number or not given.</summary>
    public double Number(string name, CustomerState state, DateTime now) => name switch
    {
        "local_hour" => LocalHour(state, now),
        "local_weekday" => LocalWeekday(state, now),
        _ when name.StartsWith("attributes.", StringComparison.Ordinal) && Attributes is not null && Attributes.TryGetValue(name["attributes.".Length..], out var v) => v.AsNumber() ?? double.NaN,
        _ => double.NaN,
    };
}
