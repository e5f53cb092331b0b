using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Personalization.Decisioning.Customers;
using Personalization.V1;
using Personalization.V1.Conversions;
using Channel = Personalization.Decisioning.Customers.Channel;

namespace Personalization.Server.Grpc;

/// <summary>Maps a customer's state to the public profile and to a data-subject export.</summary>
public static class ProfileMapping
{
    private static readonly JsonSerializerOptions ExportJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static readonly JsonFormatter ProfileJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    /// <summary>The profile of <paramref name="customerId"/> at <paramref name="now"/>.</summary>
    public static Profile ToProfile(string customerId, CustomerState state, DateTime now, int recentDecisions = 10)
    {
        var profile = Core(customerId, state, now);
        foreach (var decision in Enumerable.Reverse(state.Decisions).Take(recentDecisions))
        {
            profile.RecentDecisions.Add(new DecisionRecord
            {
                DecisionId = decision.DecisionId,
                OfferId = decision.OfferId,
                Channel = (V1.Channel)(int)decision.Channel,
                DecidedAt = decision.DecidedAt.ToContractOrUnset(),
                Outcome = decision.Latest == Decisioning.Decisions.Outcome.Unspecified ? "" : decision.Latest.ToString().ToLowerInvariant(),
                CampaignId = decision.CampaignId ?? "",
            });
        }

        profile.Segments.AddRange(state.Segments.Keys.Order(StringComparer.Ordinal));

        if (state.Churn is { } churn)
        {
            profile.Scores.Add(new ProfileScore { Name = "churn", Value = churn.Value, ModelVersion = churn.ModelVersion, ScoredAt = churn.ScoredAt.ToContractOrUnset() });
        }

        foreach (var (kind, score) in state.KindScores)
        {
            profile.Scores.Add(new ProfileScore { Name = kind, Value = score.Value, ModelVersion = score.ModelVersion, ScoredAt = score.ScoredAt.ToContractOrUnset() });
        }

        return profile;
    }

    private static Profile Core(string customerId, CustomerState state, DateTime now)
    {
        var profile = new Profile
        {
            CustomerId = customerId,
            TimeZone = state.TimeZone ?? "",
            Behaviour = Behaviour(state, now),
            FirstSeenAt = state.FirstSeenAt.ToContractOrUnset(),
            UpdatedAt = state.LastSeenAt.ToContractOrUnset(),
            EventCount = state.EventCount,
            PersonalizationWithdrawn = PersonalizationConsent.IsWithdrawn(state),
        };
        profile.Aliases.AddRange(state.Aliases);
        foreach (var (name, entry) in state.Traits)
        {
            profile.Traits[name] = entry.Value.ToContract();
        }

        foreach (var channel in System.Enum.GetValues<Channel>().Where(c => c != Channel.Unspecified))
        {
            var c = state.Peek(channel);
            var contract = (V1.Channel)(int)channel;
            if (c.Consent.Count > 0 || c.SuppressedReason is not null || !c.Reachable)
            {
                var consent = new ChannelConsent { Channel = contract, Reachable = c.Reachable, SuppressedReason = c.SuppressedReason ?? "" };
                consent.Purposes.AddRange(c.Consent.Where(p => p.Value.Granted).Select(p => p.Key).Order(StringComparer.Ordinal));
                profile.Consents.Add(consent);
            }

            if (c.Sent + c.Delivered + c.Opened + c.Clicked + c.Converted + c.Bounced > 0)
            {
                profile.Engagement.Add(new ChannelEngagement
                {
                    Channel = contract,
                    Sent = c.Sent,
                    Delivered = c.Delivered,
                    Opened = c.Opened,
                    Clicked = c.Clicked,
                    Converted = c.Converted,
                    Bounced = c.Bounced,
                    LastAt = c.LastAt.ToContractOrUnset(),
                    Sent24H = state.SentInLast(channel, TimeSpan.FromDays(1), now),
                    Sent7D = state.SentInLast(channel, TimeSpan.FromDays(7), now),
                });
            }
        }

        for (var h = 0; h < CustomerState.HoursPerWeek; h++)
        {
            profile.HourOfWeek.Add(state.Engagement(h));
        }
        return profile;
    }

    /// <summary>Everything held about a customer as indented UTF-8 JSON: the profile as served, and the raw state.</summary>
    public static byte[] ToExport(string customerId, CustomerState state, DateTime now)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("customer_id", customerId);
            writer.WriteString("exported_at", now);
            writer.WritePropertyName("profile");
            using (var profile = JsonDocument.Parse(ProfileJson.Format(ToProfile(customerId, state, now))))
            {
                profile.WriteTo(writer);
            }

            writer.WritePropertyName("state");
            JsonSerializer.Serialize(writer, state, ExportJson);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static Behaviour Behaviour(CustomerState state, DateTime now)
    {
        var b = state.Behaviour;
        return new Behaviour
        {
            Sessions7D = state.SessionsInLast(7, now),
            Sessions30D = state.SessionsInLast(30, now),
            Sessions = b.Sessions,
            Views = b.Views,
            Searches = b.Searches,
            CartAdds = b.CartAdds,
            Checkouts = b.Checkouts,
            Purchases = b.Purchases,
            Revenue = b.Revenue,
            LastPurchaseAt = b.LastPurchaseAt.ToContractOrUnset(),
            FirstPurchaseAt = b.FirstPurchaseAt.ToContractOrUnset(),
            DaysSinceLastPurchase = state.DaysSinceLastPurchase(now) ?? -1,
            LastSeenAt = state.LastSeenAt.ToContractOrUnset(),
            CartItems = state.Cart.Items,
            CartValue = state.Cart.Value,
            CartSince = state.Cart.Since.ToContractOrUnset(),
            StoreVisits = b.StoreVisits,
            CallCenterContacts = b.CallCenterContacts,
            Complaints = b.Complaints,
            LastContactReason = b.LastContactReason ?? "",
        };
    }

}
