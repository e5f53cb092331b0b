using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Decisions;

/// <summary>Properties over random customers, offers, zones and times: consent, suppression and quiet hours are never violated.</summary>
public sealed class DecisionPropertyTests
{
    private static readonly Channel[] OutboundChannels = [Channel.Email, Channel.Sms, Channel.Push, Channel.InApp, Channel.Social, Channel.DirectMail];
    private static readonly string[] Zones = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo", "Asia/Kolkata"];
    private static readonly DecisionPolicy Policy = new() { HoldoutShare = 0, ExplorationShare = 0.3 };

    /// <summary>A random customer: consent, suppression, reachability and engagement per channel, a zone, some history.</summary>
    private static Gen<CustomerState> Customers() =>
        from flags in Gen.ArrayOf(Gen.Choose(0, 7), OutboundChannels.Length)
        from zone in Gen.Elements(Zones)
        from hours in Gen.ArrayOf(Gen.Choose(0, 5), CustomerState.HoursPerWeek)
        from opens in Gen.ArrayOf(Gen.Choose(0, 20), OutboundChannels.Length)
        select Build(flags, zone, hours, opens);

    private static CustomerState Build(int[] flags, string zone, int[] hours, int[] opens)
    {
        var state = new CustomerState { TimeZone = zone, Hours = [.. hours.Select(h => (ushort)h)] };
        for (var i = 0; i < OutboundChannels.Length; i++)
        {
            var c = state.Channel(OutboundChannels[i]);
            c.Consent["marketing"] = new ConsentEntry((flags[i] & 1) != 0, DateTime.UnixEpoch);
            c.SuppressedReason = (flags[i] & 2) != 0 ? "unsubscribed" : null;
            c.Reachable = (flags[i] & 4) == 0 || (flags[i] & 1) == 0;
            c.Sent = opens[i] + 5;
            c.Opened = opens[i];
        }

        return state;
    }

    private static Gen<ScoredOffer[]> Offers() =>
        Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(
            from channels in Gen.SubListOf(OutboundChannels)
            from acceptance in Gen.Choose(1, 99)
            from value in Gen.Choose(1, 50)
            from id in Gen.Choose(0, 1_000_000)
            select new ScoredOffer(new Offer { OfferId = $"o{id}", Name = "o", Type = OfferType.Discount, Value = value, Channels = [.. channels.Count == 0 ? [Channel.Email] : channels] }, acceptance / 100.0, 10, 2),
            n));

    private static Gen<DateTime> Times() =>
        Gen.Choose(0, 365 * 24 * 4).Select(quarter => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(quarter * 15));

    [Property(MaxTest = 300)]
    public Property OutboundActionsOnlyUseContactableChannelsOutsideQuietHours() =>
        Prop.ForAll(Customers().ToArbitrary(), Offers().ToArbitrary(), Times().ToArbitrary(), (state, offers, now) =>
        {
            var result = DecisionEngine.Decide("c", state, offers, 0.3, new DecisionRequest(DecisionMode.Outbound, [], 3, []), Policy, 1, now);

            return result.Actions.All(a =>
                state.CanContact(a.Channel)
                && state.Channel(a.Channel).SuppressedReason is null
                && a.Offer.Channels.Contains(a.Channel)
                && a.SendAt > now
                && a.SendAt <= now.AddHours(25)
                && TimeZones.Local(a.SendAt, state.TimeZone).Hour is >= 8 and < 21);
        });

    [Property(MaxTest = 300)]
    public Property TheDailyOutboundCapHolds() =>
        Prop.ForAll(Customers().ToArbitrary(), Offers().ToArbitrary(), Times().ToArbitrary(), (state, offers, now) =>
        {
            for (var i = 0; i < Policy.MaxOutboundPerDay; i++)
            {
                state.Decisions.Add(new DecisionRecord { DecisionId = $"d{i}", OfferId = "x", Channel = Channel.Email, Mode = DecisionMode.Outbound, DecidedAt = now.AddHours(-1), SendAt = now.AddHours(-1) });
            }

            var result = DecisionEngine.Decide("c", state, offers, 0.3, new DecisionRequest(DecisionMode.Outbound, [], 3, []), Policy, 1, now);

            return result.Actions.Count == 0;
        });
}
