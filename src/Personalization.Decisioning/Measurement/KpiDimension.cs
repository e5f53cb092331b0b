using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Measurement;

/// <summary>What a KPI row is about: the whole service, or one campaign, journey, offer, channel or segment (kind:id keys).</summary>
public static class KpiDimension
{
    /// <summary>The service-wide row.</summary>
    public const string Service = "service";

    /// <summary>The dimension kinds a report can group by.</summary>
    public static readonly string[] Kinds = [Service, "campaign", "journey", "offer", "channel", Segment];

    /// <summary>The segment kind: rows by the customer's segment memberships at the time of each touch or purchase.</summary>
    public const string Segment = "segment";

    /// <summary>The key of one value of a dimension.</summary>
    public static string Key(string kind, string id) => kind == Service ? Service : $"{kind}:{id}";

    /// <summary>The (kind, id) of a key.</summary>
    public static (string Kind, string Id) Parse(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (key, "") : (key[..colon], key[(colon + 1)..]);
    }

    /// <summary>The rows a touch counts in: the service, its channel, and its campaign, journey and offer when known.</summary>
    public static IEnumerable<string> Of(Touch touch)
    {
        yield return Service;
        yield return Key("channel", ChannelName(touch.Channel));
        if (touch.CampaignId is { } campaign)
        {
            yield return Key("campaign", campaign);
        }

        if (touch.JourneyId is { } journey)
        {
            yield return Key("journey", journey);
        }

        if (touch.OfferId is { } offer)
        {
            yield return Key("offer", offer);
        }
    }

    /// <summary>The segment rows of a customer who belongs to <paramref name="segments"/> when an event happens.</summary>
    public static IEnumerable<string> OfSegments(IEnumerable<string>? segments) => segments?.Select(s => Key(Segment, s)) ?? [];

    /// <summary>A channel's name in reports: lower case, as the CLI and settings spell it.</summary>
    public static string ChannelName(Channel channel) => channel.ToString().ToLowerInvariant();
}
