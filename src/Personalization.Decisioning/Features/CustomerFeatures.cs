using System.Text.RegularExpressions;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Features;

/// <summary>
/// Builds model features by name from a customer's state (and an offer, for offer models), so a
/// model trained on new traits needs no code change: a name is a built-in aggregate, a channel
/// statistic (<c>email_open_rate</c>), an offer attribute (<c>offer_reward</c>), an interest
/// (<see cref="InterestFeatures"/>: <c>affinity_kitchen</c>, <c>top_category</c>), the request's
/// context (<c>context_placement</c>, <c>context_device</c>, <c>context_page</c>, <c>context_product_id</c>,
/// <c>context_local_hour</c>, <c>context_local_weekday</c>, <c>context_attr_name</c>: missing outside a
/// real-time request), or else a trait.
/// </summary>
public static partial class CustomerFeatures
{
    private static readonly Dictionary<string, Func<CustomerState, DateTime, double>> Aggregates = new(StringComparer.Ordinal)
    {
        ["sessions"] = (s, _) => s.Behaviour.Sessions,
        ["sessions_7d"] = (s, now) => s.SessionsInLast(7, now),
        ["sessions_30d"] = (s, now) => s.SessionsInLast(30, now),
        ["views"] = (s, _) => s.Behaviour.Views,
        ["views_7d"] = (s, now) => s.ViewsInLast(7, now),
        ["views_30d"] = (s, now) => s.ViewsInLast(30, now),
        ["searches"] = (s, _) => s.Behaviour.Searches,
        ["cart_adds"] = (s, _) => s.Behaviour.CartAdds,
        ["checkouts"] = (s, _) => s.Behaviour.Checkouts,
        ["purchases"] = (s, _) => s.Behaviour.Purchases,
        ["revenue"] = (s, _) => s.Behaviour.Revenue,
        ["days_since_last_purchase"] = (s, now) => s.DaysSinceLastPurchase(now) ?? double.NaN,
        ["days_since_first_seen"] = (s, now) => s.FirstSeenAt == default ? double.NaN : (now - s.FirstSeenAt).TotalDays,
        ["days_since_last_seen"] = (s, now) => s.LastSeenAt == default ? double.NaN : (now - s.LastSeenAt).TotalDays,
        ["cart_items"] = (s, _) => s.Cart.Items,
        ["cart_value"] = (s, _) => s.Cart.Value,
        ["store_visits"] = (s, _) => s.Behaviour.StoreVisits,
        ["call_center_contacts"] = (s, _) => s.Behaviour.CallCenterContacts,
        ["complaints"] = (s, _) => s.Behaviour.Complaints,
        ["subscription_changes"] = (s, _) => s.Behaviour.SubscriptionChanges,
        ["event_count"] = (s, _) => s.EventCount,
    };

    private static readonly Dictionary<string, Func<Offer, double>> OfferNumbers = new(StringComparer.Ordinal)
    {
        ["offer_reward"] = o => o.Reward,
        ["offer_difficulty"] = o => o.Difficulty,
        ["offer_duration_days"] = o => o.DurationDays,
        ["offer_value"] = o => o.Value,
        ["offer_business_weight"] = o => o.BusinessWeight,
    };

    private static readonly Dictionary<string, Channel> Channels = Enum.GetValues<Channel>()
        .Where(c => c != Channel.Unspecified)
        .ToDictionary(c => SnakeCase(c.ToString()), c => c, StringComparer.Ordinal);

    private const string ContextPrefix = "context_";

    /// <summary>The built-in aggregates' names (sessions, purchases, revenue…).</summary>
    public static IEnumerable<string> AggregateNames => Aggregates.Keys;

    /// <summary>Whether a feature reads the request's context (so its score depends on the request, not only the customer).</summary>
    public static bool IsContext(string name) => name.StartsWith(ContextPrefix, StringComparison.Ordinal);

    /// <summary>Why a feature cannot be built, or null when it can.</summary>
    public static string? Problem(FeatureSpec feature, bool offerModel)
    {
        var name = feature.Name;
        if (!Name().IsMatch(name))
        {
            return $"feature '{name}': names are lower_snake_case";
        }

        if (!Enum.IsDefined(feature.Type))
        {
            return $"feature '{name}': unknown type";
        }

        if (name.StartsWith("offer_", StringComparison.Ordinal))
        {
            if (!offerModel)
            {
                return $"feature '{name}': offer attributes exist only for offer models";
            }

            var known = OfferNumbers.ContainsKey(name) || name == "offer_type" || (name.StartsWith("offer_channel_", StringComparison.Ordinal) && Channels.ContainsKey(name["offer_channel_".Length..]));
            return known ? TypeProblem(feature, name == "offer_type") : $"feature '{name}': no such offer attribute";
        }

        if (Aggregates.ContainsKey(name) || ChannelStatistic(name).Stat is not null || InterestFeatures.IsNumber(name))
        {
            return TypeProblem(feature, text: false);
        }

        if (IsContext(name))
        {
            return ContextName(name) switch
            {
                "local_hour" or "local_weekday" => TypeProblem(feature, text: false),
                "placement" or "page" or "product_id" or "device" => TypeProblem(feature, text: true),
                var n when n.StartsWith("attributes.", StringComparison.Ordinal) && n.Length > "attributes.".Length => null,
                _ => $"feature '{name}': no such context value (context_placement, context_page, context_product_id, context_device, context_local_hour, context_local_weekday, context_attr_<name>)",
            };
        }

        if (InterestFeatures.IsText(name))
        {
            return TypeProblem(feature, text: true);
        }

        return null; // a trait: any type reads it (numbers as numbers, anything as text)
    }

    /// <summary>A numeric feature's value; NaN when missing.</summary>
    public static float Number(CustomerState state, string name, DateTime now, Offer? offer = null, PlacementContext? context = null)
    {
        if (IsContext(name))
        {
            return context is null ? float.NaN : (float)context.Number(ContextName(name), state, now);
        }

        if (Aggregates.TryGetValue(name, out var aggregate))
        {
            return (float)aggregate(state, now);
        }

        if (InterestFeatures.Number(state.Interests, name, now) is { } interest)
        {
            return (float)interest;
        }

        if (offer is not null && name.StartsWith("offer_", StringComparison.Ordinal))
        {
            return OfferNumbers.TryGetValue(name, out var number) ? (float)number(offer)
                : name.StartsWith("offer_channel_", StringComparison.Ordinal) && Channels.TryGetValue(name["offer_channel_".Length..], out var channel) ? (offer.Channels.Contains(channel) ? 1 : 0)
                : float.NaN;
        }

        if (ChannelStatistic(name) is (string stat, var c))
        {
            return (float)Statistic(state, c, stat, now);
        }

        if (!state.Traits.TryGetValue(name, out var trait))
        {
            return float.NaN;
        }

        return trait.Value.Kind == TraitKind.Time ? (float)(now - trait.Value.Time).TotalDays : (float)(trait.Value.AsNumber() ?? double.NaN);
    }

    /// <summary>A categorical feature's value; "" when missing.</summary>
    public static string Text(CustomerState state, string name, Offer? offer = null, PlacementContext? context = null)
    {
        if (IsContext(name))
        {
            return context?.Text(ContextName(name)) ?? "";
        }

        if (name == "offer_type")
        {
            return offer?.Type.ToString().ToLowerInvariant() ?? "";
        }

        return state.Traits.TryGetValue(name, out var trait) ? trait.Value.ToString() : InterestFeatures.Text(state.Interests, name) ?? "";
    }

    /// <summary>Whether a name is a built-in number (an aggregate or a channel statistic) rather than a trait.</summary>
    public static bool IsBuiltInNumber(string name) => Aggregates.ContainsKey(name) || ChannelStatistic(name).Stat is not null || InterestFeatures.IsNumber(name);

    // context_attr_x reads context.attributes.x; the other context_ names read the field of the same name.
    private static string ContextName(string feature)
    {
        var rest = feature[ContextPrefix.Length..];
        return rest.StartsWith("attr_", StringComparison.Ordinal) ? "attributes." + rest["attr_".Length..] : rest;
    }

    private static string? TypeProblem(FeatureSpec feature, bool text) =>
        (feature.Type == FeatureType.String) == text ? null : $"feature '{feature.Name}' is {(text ? "a category" : "a number")}, not {feature.Type.ToString().ToLowerInvariant()}";

    private static (string? Stat, Channel Channel) ChannelStatistic(string name)
    {
        foreach (var (prefix, channel) in Channels)
        {
            if (name.StartsWith(prefix + "_", StringComparison.Ordinal))
            {
                var stat = name[(prefix.Length + 1)..];
                if (stat is "sent" or "delivered" or "opened" or "clicked" or "converted" or "bounced" or "open_rate" or "click_rate" or "conversion_rate" or "consent" or "sent_7d")
                {
                    return (stat, channel);
                }
            }
        }

        return (null, Channel.Unspecified);
    }

    private static double Statistic(CustomerState state, Channel channel, string stat, DateTime now)
    {
        var c = state.Peek(channel);
        // Rates are smoothed toward zero with one pseudo-send so a single open does not read as 100%.
        return stat switch
        {
            "sent" => c.Sent,
            "delivered" => c.Delivered,
            "opened" => c.Opened,
            "clicked" => c.Clicked,
            "converted" => c.Converted,
            "bounced" => c.Bounced,
            "open_rate" => c.Opened / (c.Sent + 1.0),
            "click_rate" => c.Clicked / (c.Sent + 1.0),
            "conversion_rate" => c.Converted / (c.Sent + 1.0),
            "consent" => state.CanContact(channel) ? 1 : 0,
            _ => state.SentInLast(channel, TimeSpan.FromDays(7), now),
        };
    }

    private static string SnakeCase(string pascal) => PascalBoundary().Replace(pascal, "_$1").ToLowerInvariant();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex Name();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex PascalBoundary();
}
