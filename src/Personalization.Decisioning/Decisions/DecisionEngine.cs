using System.Globalization;
using Personalization.Decisioning.Content;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Recommendations;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Decisions;

/// <summary>
/// Decides the next best actions for one customer. Pure: everything it needs comes in, and the
/// same inputs and seed give the same decision. Eligibility (caps), then channel (consent,
/// reachability, suppression, caps, best smoothed engagement), then timing (best hour of the
/// customer's week outside quiet hours), then arbitration (acceptance × value × weight, retention
/// boosted by churn risk), with a seeded exploration share and a stable holdout.
/// </summary>
public static class DecisionEngine
{
    private static readonly HashSet<Channel> Outbound = [Channel.Email, Channel.Sms, Channel.Push, Channel.DirectMail, Channel.Social, Channel.CallCenter];

    /// <summary>
    /// The decision for <paramref name="customerId"/> at <paramref name="now"/>: each of the request's
    /// placements filled in turn (never with an offer already placed), each action with its content
    /// rendered. Offers in <paramref name="spentBudgets"/> have spent their total cap and are left out.
    /// <paramref name="items"/> are the recommended products per placement (<see cref="Recommender.ForPlacements"/>):
    /// a placement's content sees its own as <c>items</c>. The slates (each placement's candidates and
    /// the first one's propensity, for the decision log) are built only <paramref name="withSlates"/>.
    /// </summary>
    public static DecisionResult Decide(
        string customerId,
        CustomerState state,
        IReadOnlyList<ScoredOffer> offers,
        double churn,
        DecisionRequest request,
        DecisionPolicy policy,
        int decisionNumber,
        DateTime now,
        IReadOnlySet<string>? spentBudgets = null,
        IReadOnlyList<PlacementItems>? items = null,
        bool withSlates = true)
    {
        var suppressions = new List<string>();
        if (Measurement.GlobalControl.IsHeldOut(customerId, policy.GlobalControlSalt, policy.GlobalControlShare))
        {
            suppressions.Add(string.Create(CultureInfo.InvariantCulture, $"global control: customer is in the service's {policy.GlobalControlShare * 100:0.#}% global control group"));
            return new DecisionResult("global_control", [], suppressions);
        }

        if (InHoldout(customerId, policy))
        {
            suppressions.Add(string.Create(CultureInfo.InvariantCulture, $"holdout: customer is in the {policy.HoldoutShare * 100:0.#}% control group"));
            return new DecisionResult("holdout", [], suppressions);
        }

        var context = request.Context ?? PlacementContext.None;
        IReadOnlyList<string> placements = request.Placements is { Count: > 0 } asked ? asked : [context.Placement];
        var named = placements.Count > 1;
        // Only several placements can offer the same offer twice: one placement ranks distinct offers.
        var used = named ? new HashSet<string>(StringComparer.Ordinal) : null;
        var actions = new List<ActionChoice>();
        var slates = withSlates ? new List<Learning.DecisionSlate>(placements.Count) : null;
        DateTime? bestHour = null;
        double? clvScale = null;
        // Seeded from stable hashes only (HashCode.Combine differs per process), so a decision replays anywhere.
        var seed = $"{policy.Seed}:{customerId}:{decisionNumber}";
        var coins = EventIdHash.Mixed(seed);
        Random? random = null;
        foreach (var placement in placements)
        {
            // Each placement is decided in its own context (context.placement reads it), never with an offer already placed.
            var here = placement == context.Placement ? context : context with { Placement = placement };
            var where = named ? $" for {placement}" : "";
            var placementItems = ItemsFor(items, placement);
            var candidates = new List<Candidate>(offers.Count);
            for (var o = 0; o < offers.Count; o++)
            {
                var scored = offers[o];
                var offer = scored.Offer;
                if (used is not null && used.Contains(offer.OfferId))
                {
                    continue;
                }

                if (!offer.Fits(placement))
                {
                    suppressions.Add($"{offer.OfferId} skipped{where}: not for placement '{placement}' ({string.Join(", ", offer.Placements)})");
                    continue;
                }

                if (spentBudgets is not null && spentBudgets.Contains(offer.OfferId))
                {
                    suppressions.Add($"{offer.OfferId} skipped: its budget of {offer.Caps.Total} is spent");
                    continue;
                }

                if (offer.EligibilityRule.Length > 0 && !RuleLanguage.Compile(offer.EligibilityRule).Matches(state, now, here))
                {
                    suppressions.Add($"{offer.OfferId} skipped{where}: not eligible ({offer.EligibilityRule})");
                    continue;
                }

                if (CapReached(state, offer, now) is { } capped)
                {
                    suppressions.Add($"{offer.OfferId} skipped: {capped}");
                    continue;
                }

                if (ChooseChannel(state, offer, request, policy, now, suppressions) is not { } chosen)
                {
                    continue;
                }

                var boosted = IsRetention(offer);
                var weight = boosted ? RetentionWeight.Of(offer.BusinessWeight, churn, clvScale ??= RetentionWeight.ClvScale(state.KindScores, policy), policy) : offer.BusinessWeight;

                // The customer's best hour is the same for every offer: found once per decision.
                var sendAt = request.Mode == DecisionMode.Outbound ? bestHour ??= BestHour(state, now, policy) : now;
                candidates.Add(new Candidate(scored, chosen, sendAt, scored.Acceptance * offer.Value * weight, boosted, offer.Value * weight));
            }

            candidates.Sort(ByPriority);
            var ranked = candidates;
            // The slate in greedy order: its propensities are known before the exploration draw.
            // Without the decision log nothing of it is built (its propensities cost a grid integration).
            var slate = slates is null ? null : new List<Learning.SlateCandidate>(ranked.Count);
            var population = slates is null ? null : new (long Trials, long Successes)[ranked.Count];
            if (slate is not null)
            {
                foreach (var c in ranked)
                {
                    population![slate.Count] = (c.Scored.Trials, c.Scored.Successes);
                    slate.Add(new Learning.SlateCandidate(c.Scored.Offer.OfferId, c.Scored.Acceptance, c.Multiplier));
                }
            }

            var explored = false;
            // Whether to explore is a coin per placement; the sampler's generator is made only when exploring.
            if (ranked.Count > 1 && Coin(coins++) < policy.ExplorationShare)
            {
                random ??= new Random(Stable(seed));
                // Thompson sampling on the offers' population results: the draw picks the top action.
                var pick = ThompsonPick(ranked, random);
                ranked.Remove(pick);
                ranked.Insert(0, pick);
                explored = true;
            }

            if (slates is null)
            {
                // Not logged: no slate.
            }
            else if (ranked.Count == 0)
            {
                slates.Add(new Learning.DecisionSlate(placement, [], null, 0));
            }
            else
            {
                var top = ranked[0].Scored.Offer.OfferId;
                var first = 0;
                while (slate![first].OfferId != top)
                {
                    first++;
                }

                var propensity = ranked.Count == 1 ? 1 : Learning.ThompsonPropensity.Of(population!, greedy: 0, policy.ExplorationShare)[first];
                slates.Add(new Learning.DecisionSlate(placement, slate, ranked[0].Scored.Offer.OfferId, propensity, ranked[0].Channel));
            }

            // Outbound actions are sends: the caps must also hold with the ones this decision adds.
            var taken = request.Mode == DecisionMode.Outbound ? WithinCaps(ranked, state, policy, request.MaxActions, suppressions, now) : ranked;
            if (taken.Count > request.MaxActions)
            {
                taken.RemoveRange(request.MaxActions, taken.Count - request.MaxActions);
            }

            // Reasons and content are made for the actions returned only, not for every candidate.
            var rank = 0;
            foreach (var c in taken)
            {
                var first = explored && rank == 0;
                var (content, problem) = ContentTemplates.Render(c.Scored.Offer, c.Channel, placement, state, customerId, here, placementItems, now);
                if (problem is not null)
                {
                    suppressions.Add($"{c.Scored.Offer.OfferId}: {problem}");
                }

                used?.Add(c.Scored.Offer.OfferId);
                actions.Add(new ActionChoice(++rank, c.Scored.Offer, c.Channel, c.SendAt, c.Scored.Acceptance, c.Priority, first, Reasons(c.Scored, c.Channel, c.SendAt, c.Boosted, first, churn, request.Mode, state), placement, content));
            }
        }

        // Several placements see the same caps, channels and budgets: each reason once.
        return new DecisionResult("champion", actions, named ? [.. suppressions.Distinct(StringComparer.Ordinal)] : suppressions, slates);
    }

    /// <summary>
    /// The arm a decision reports: <c>challenger</c> when a challenger model scored a treated
    /// decision (so outcomes can be analysed per arm), else the engine's (<c>champion</c> or <c>holdout</c>).
    /// </summary>
    public static DecisionResult WithModelArm(DecisionResult result, bool scoredByChallenger) =>
        scoredByChallenger && result.Arm == "champion" ? result with { Arm = "challenger" } : result;

    /// <summary>Whether a customer is in the holdout: a stable hash of the id, the same on every silo and run.</summary>
    public static bool InHoldout(string customerId, DecisionPolicy policy) =>
        EventIdHash.Unit("holdout:" + customerId) < policy.HoldoutShare;

    // The best candidates that fit under the caps together: each checked its channel alone, against the history.
    private static List<Candidate> WithinCaps(List<Candidate> ranked, CustomerState state, DecisionPolicy policy, int max, List<string> suppressions, DateTime now)
    {
        var taken = new List<Candidate>(Math.Min(max, ranked.Count));
        var today = SendHistory.Count(state, null, TimeSpan.FromDays(1), now);
        foreach (var candidate in ranked)
        {
            if (taken.Count == max)
            {
                break;
            }

            var week = SendHistory.Count(state, candidate.Channel, TimeSpan.FromDays(7), now) + taken.Count(t => t.Channel == candidate.Channel);
            if (today + taken.Count >= policy.MaxOutboundPerDay || week >= policy.MaxPerChannelPerWeek)
            {
                suppressions.Add($"{candidate.Scored.Offer.OfferId} skipped: {Name(candidate.Channel)} caps are full with this decision's other actions");
                continue;
            }

            taken.Add(candidate);
        }

        return taken;
    }

    // Why the action is ranked where it is: its acceptance, a retention boost, the channel and time, exploration.
    private static List<string> Reasons(ScoredOffer scored, Channel channel, DateTime sendAt, bool boosted, bool explored, double churn, DecisionMode mode, CustomerState state)
    {
        var reasons = new List<string>(explored ? 4 : 3) { string.Create(CultureInfo.InvariantCulture, $"acceptance {scored.Acceptance:0.00}") };
        if (boosted)
        {
            reasons.Add(KindScore.Of(state.KindScores, RetentionWeight.ClvKind) is { } clv
                ? string.Create(CultureInfo.InvariantCulture, $"retention offer boosted: churn {churn:0.00}, clv {clv:0}")
                : $"retention offer boosted: churn {churn.ToString("0.00", CultureInfo.InvariantCulture)}");
        }

        reasons.Add(mode == DecisionMode.Outbound
            ? $"{Name(channel)} at {TimeZones.Local(sendAt, state.TimeZone):ddd HH:00} local: the customer's best allowed hour"
            : (int)channel < InboundReasons.Length ? InboundReasons[(int)channel] : $"{Name(channel)} now: inbound request");
        if (explored)
        {
            reasons.Add("explored: chosen by Thompson sampling to keep learning");
        }

        return reasons;
    }

    private static string? CapReached(CustomerState state, Offer offer, DateTime now)
    {
        var caps = offer.Caps;
        if (caps.PerCustomerPerDay > 0 || caps.PerCustomerPerWeek > 0)
        {
            var (day, week) = (0, 0);
            var (dayAgo, weekAgo) = (now.AddDays(-1), now.AddDays(-7));
            foreach (var d in state.Decisions)
            {
                if (d.OfferId == offer.OfferId && d.DecidedAt > weekAgo)
                {
                    week++;
                    day += d.DecidedAt > dayAgo ? 1 : 0;
                }
            }

            if (caps.PerCustomerPerDay > 0 && day >= caps.PerCustomerPerDay)
            {
                return $"{caps.PerCustomerPerDay} per day reached";
            }

            if (caps.PerCustomerPerWeek > 0 && week >= caps.PerCustomerPerWeek)
            {
                return $"{caps.PerCustomerPerWeek} per week reached";
            }
        }

        return caps.PerCustomerTotal > 0 && state.OfferGiven.GetValueOrDefault(offer.OfferId) >= caps.PerCustomerTotal ? $"{caps.PerCustomerTotal} in total reached" : null;
    }

    // The offer's channel, or null; why each channel was left out goes to the suppressions as "{offer}: {reason}".
    private static Channel? ChooseChannel(CustomerState state, Offer offer, DecisionRequest request, DecisionPolicy policy, DateTime now, List<string> suppressions)
    {
        if (request.Mode != DecisionMode.Outbound)
        {
            // Inbound: the customer is on the asking channel; the offer must be able to show there.
            var asking = request.Channels.Count > 0 ? request.Channels[0] : Channel.Web;
            if (offer.Channels.Contains(asking))
            {
                return asking;
            }

            suppressions.Add($"{offer.OfferId}: not available on {Name(asking)}");
            return null;
        }

        Channel? best = null;
        var bestRate = double.MinValue;
        // Caps count every send the customer received, whatever decided it (the send history), not only this service's.
        var dayCount = SendHistory.Count(state, null, TimeSpan.FromDays(1), now);
        foreach (var channel in offer.Channels)
        {
            if (!(Outbound.Contains(channel) || channel == Channel.InApp) || (request.Channels.Count > 0 && !request.Channels.Contains(channel)))
            {
                continue;
            }

            var c = state.Peek(channel);
            if (c.SuppressedReason is { } suppressed)
            {
                suppressions.Add($"{offer.OfferId}: {Name(channel)} skipped: {suppressed}");
            }
            else if (!c.Reachable)
            {
                suppressions.Add($"{offer.OfferId}: {Name(channel)} skipped: unreachable");
            }
            else if (!state.CanContact(channel, offer.ConsentPurpose))
            {
                suppressions.Add(offer.Type == OfferType.Service ? $"{offer.OfferId}: {Name(channel)} skipped: no service consent" : $"{offer.OfferId}: {Name(channel)} skipped: no consent");
            }
            else if (dayCount >= policy.MaxOutboundPerDay)
            {
                suppressions.Add($"{offer.OfferId}: {Name(channel)} skipped: {dayCount} of {policy.MaxOutboundPerDay} today");
            }
            else if (SendHistory.Count(state, channel, TimeSpan.FromDays(7), now) is var week && week >= policy.MaxPerChannelPerWeek)
            {
                suppressions.Add($"{offer.OfferId}: {Name(channel)} skipped: {week} of {policy.MaxPerChannelPerWeek} this week");
            }
            else
            {
                var prior = policy.ChannelPrior.GetValueOrDefault(channel, 0.1);
                var rate = (c.Opened + c.Clicked + c.Converted + (prior * policy.PriorWeight)) / (c.Sent + policy.PriorWeight);
                if (rate > bestRate)
                {
                    (best, bestRate) = (channel, rate);
                }
            }
        }

        return best;
    }

    /// <summary>The start of the hour in the next 24 with the most engagement in the customer's week, outside quiet hours (earliest on ties).</summary>
    public static DateTime BestHour(CustomerState state, DateTime now, DecisionPolicy policy) =>
        BestHourWithin(state, now, policy, 0, 24) ?? NextHour(now);

    /// <summary>
    /// Like <see cref="BestHour"/>, but only local hours from <paramref name="startHour"/> up to (not
    /// including) <paramref name="endHour"/> (wrapping past midnight when start &gt; end); null when the next
    /// 24 hours hold no such hour outside quiet hours.
    /// </summary>
    public static DateTime? BestHourWithin(CustomerState state, DateTime now, DecisionPolicy policy, int startHour, int endHour)
    {
        var first = NextHour(now);
        DateTime? best = null;
        var bestScore = double.MinValue;
        for (var h = 0; h < 24; h++)
        {
            var candidate = first.AddHours(h);
            var local = TimeZones.Local(candidate, state.TimeZone);
            if (IsQuiet(local.Hour, policy) || !InWindow(local.Hour, startHour, endHour))
            {
                continue;
            }

            // A small evening prior breaks ties for customers with no history of their own.
            var score = state.Engagement(TimeZones.HourOfWeek(candidate, state.TimeZone)) + (local.Hour is >= 18 and < 21 ? 0.5 : 0);
            if (score > bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return best;
    }

    /// <summary><paramref name="now"/> when it is outside the customer's quiet hours, else the start of the first hour after them.</summary>
    public static DateTime NextAllowed(CustomerState state, DateTime now, DecisionPolicy policy)
    {
        if (!IsQuiet(TimeZones.Local(now, state.TimeZone).Hour, policy))
        {
            return now;
        }

        var candidate = NextHour(now);
        for (var h = 0; h < 24 && IsQuiet(TimeZones.Local(candidate, state.TimeZone).Hour, policy); h++)
        {
            candidate = candidate.AddHours(1);
        }

        return candidate;
    }

    private static DateTime NextHour(DateTime now) => new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);

    private static bool InWindow(int hour, int start, int end) => start < end ? hour >= start && hour < end : hour >= start || hour < end;

    private static bool IsQuiet(int localHour, DecisionPolicy policy) =>
        policy.QuietFromHour > policy.QuietUntilHour
            ? localHour >= policy.QuietFromHour || localHour < policy.QuietUntilHour
            : localHour >= policy.QuietFromHour && localHour < policy.QuietUntilHour;

    /// <summary>Whether an offer is a retention offer, the only kind the churn score weighs (so a decision among none needs no churn score).</summary>
    public static bool IsRetention(Offer offer) => offer.Type == OfferType.Retention || offer.Tags.Contains("retention");

    private static string Name(Channel channel) => channel switch
    {
        Channel.Web => "web",
        Channel.App => "app",
        Channel.Email => "email",
        Channel.Sms => "SMS",
        Channel.Push => "push",
        Channel.InApp => "in-app",
        Channel.Social => "social",
        Channel.Store => "store",
        Channel.DirectMail => "direct mail",
        Channel.CallCenter => "call center",
        _ => channel.ToString().ToLowerInvariant(),
    };

    // The inbound reason of each channel, made once: an inbound decision words nothing else per action but its acceptance.
    private static readonly string[] InboundReasons = [.. Enum.GetValues<Channel>().Select(c => $"{Name(c)} now: inbound request")];

    // Highest priority first; equal priorities by offer id, so the order never depends on the catalog's.
    private static readonly Comparison<Candidate> ByPriority = (a, b) =>
        b.Priority.CompareTo(a.Priority) is var byPriority and not 0 ? byPriority : string.CompareOrdinal(a.Scored.Offer.OfferId, b.Scored.Offer.OfferId);

    private static IReadOnlyList<RecommendedItem> ItemsFor(IReadOnlyList<PlacementItems>? items, string placement)
    {
        if (items is not null)
        {
            foreach (var entry in items)
            {
                if (entry.Placement == placement)
                {
                    return entry.Items;
                }
            }
        }

        return [];
    }

    private readonly record struct Candidate(ScoredOffer Scored, Channel Channel, DateTime SendAt, double Priority, bool Boosted, double Multiplier);

    // The candidate whose draw from the Beta of its offer's population results is highest.
    private static Candidate ThompsonPick(List<Candidate> ranked, Random random) =>
        ranked.MaxBy(c => Beta(random, c.Scored.Successes + 1, c.Scored.Trials - c.Scored.Successes + 1));

    private static int Stable(string text) => (int)EventIdHash.Of(text);

    // A uniform draw in [0, 1) from a counter (the SplitMix64 finaliser): stable across processes, allocates nothing.
    private static double Coin(ulong counter)
    {
        var z = counter + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return ((z ^ (z >> 31)) >> 11) * (1.0 / (1UL << 53));
    }

    private static double Beta(Random random, double a, double b)
    {
        var x = Gamma(random, a);
        return x / (x + Gamma(random, b));
    }

    // Marsaglia and Tsang's method, for shape >= 1 (always the case here: counts + 1).
    private static double Gamma(Random random, double shape)
    {
        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = random.NextDouble();
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
