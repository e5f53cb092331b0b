using System.Globalization;
using System.Text.Json;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Offers;

namespace Personalization.Scoring.Training;

/// <summary>
/// Simulated responses to the real offer portfolio by the real 17,000 profiles, from a seeded
/// generator whose true acceptance probability is known, so a trained offer model can be scored
/// against the truth. The truth is a logistic model:
/// <code>
/// logit = -1.2 + type effect (bogo +0.3, discount +0.2, informational -0.6)
///       + 0.10·reward - 0.08·difficulty + 0.08·duration_days
///       + discount: +0.9·z_income     bogo: -0.7·z_income     informational: +0.4·z_tenure
///       + social channel: -0.6·z_age  web channel: +0.2
///       + bogo and gender F: +0.3     discount and gender M: +0.25
///       - 0.8 when age is unknown (the data set's 118)
/// </code>
/// with z_age = (age - 54) / 17, z_income = (income - 65,000) / 21,000 and z_tenure = (membership
/// years - 9.5) / 1.2 at <see cref="ReferenceDate"/> (unknowns count as 0). Each customer is shown
/// <see cref="OffersPerCustomer"/> offers drawn at random and accepts each with its true probability.
/// </summary>
public static class OfferSimulation
{
    /// <summary>"Today" for membership length, fixed so training is reproducible.</summary>
    public static readonly DateTime ReferenceDate = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Offers each simulated customer is shown.</summary>
    public const int OffersPerCustomer = 4;

    /// <summary>The features the offer model reads: customer traits and offer attributes, by name.</summary>
    public static readonly IReadOnlyList<FeatureSpec> Features =
    [
        new("age", FeatureType.Float),
        new("income", FeatureType.Float),
        new("became_member_on", FeatureType.Float),
        new("offer_reward", FeatureType.Float),
        new("offer_difficulty", FeatureType.Float),
        new("offer_duration_days", FeatureType.Float),
        new("offer_channel_email", FeatureType.Bool),
        new("offer_channel_push", FeatureType.Bool),
        new("offer_channel_social", FeatureType.Bool),
        new("offer_channel_web", FeatureType.Bool),
        new("gender", FeatureType.String),
        new("offer_type", FeatureType.String),
    ];

    /// <summary>The profiles of profile.json as customer states (age 118 left out as unknown).</summary>
    public static List<(string Id, CustomerState State)> ReadProfiles(IEnumerable<string> lines)
    {
        var customers = new List<(string, CustomerState)>();
        foreach (var line in lines.Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var state = new CustomerState();
            if (root.GetProperty("age").GetInt32() is var age and not 118)
            {
                state.Traits["age"] = new TraitEntry(TraitValue.Of((long)age), DateTime.UnixEpoch);
            }

            if (root.GetProperty("income").ValueKind == JsonValueKind.Number)
            {
                state.Traits["income"] = new TraitEntry(TraitValue.Of(root.GetProperty("income").GetDouble()), DateTime.UnixEpoch);
            }

            if (root.GetProperty("gender").GetString() is { } gender)
            {
                state.Traits["gender"] = new TraitEntry(TraitValue.Of(gender), DateTime.UnixEpoch);
            }

            var joined = DateTime.ParseExact(root.GetProperty("became_member_on").GetString()!, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            state.Traits["became_member_on"] = new TraitEntry(TraitValue.Of(joined), DateTime.UnixEpoch);
            customers.Add((root.GetProperty("id").GetString()!, state));
        }

        return customers;
    }

    /// <summary>The true probability that a customer accepts an offer.</summary>
    public static double TrueProbability(CustomerState customer, Offer offer)
    {
        double? Trait(string name) => customer.Traits.TryGetValue(name, out var t) ? t.Value.AsNumber() : null;
        var age = Trait("age");
        var zAge = age is { } a ? (a - 54) / 17 : 0;
        var zIncome = Trait("income") is { } i ? (i - 65_000) / 21_000 : 0;
        var zTenure = customer.Traits.TryGetValue("became_member_on", out var joined) ? (((ReferenceDate - joined.Value.Time).TotalDays / 365.25) - 9.5) / 1.2 : 0;
        var gender = customer.Traits.TryGetValue("gender", out var g) ? g.Value.Text : null;

        var logit = -1.2 + 0.10 * offer.Reward - 0.08 * offer.Difficulty + 0.08 * offer.DurationDays;
        logit += offer.Type switch
        {
            OfferType.Bogo => 0.3 - 0.7 * zIncome + (gender == "F" ? 0.3 : 0),
            OfferType.Discount => 0.2 + 0.9 * zIncome + (gender == "M" ? 0.25 : 0),
            OfferType.Informational => -0.6 + 0.4 * zTenure,
            _ => 0,
        };
        logit += offer.Channels.Contains(Channel.Social) ? -0.6 * zAge : 0;
        logit += offer.Channels.Contains(Channel.Web) ? 0.2 : 0;
        logit -= age is null ? 0.8 : 0;
        return 1 / (1 + Math.Exp(-logit));
    }

    /// <summary>Simulated showings: each customer sees some offers at random and accepts with the true probability.</summary>
    public static List<TrainingRow> Simulate(IReadOnlyList<(string Id, CustomerState State)> customers, IReadOnlyList<Offer> offers, int seed)
    {
        var random = new Random(seed);
        var rows = new List<TrainingRow>(customers.Count * OffersPerCustomer);
        foreach (var (id, state) in customers)
        {
            foreach (var offer in offers.OrderBy(_ => random.Next()).Take(OffersPerCustomer).ToList())
            {
                rows.Add(new TrainingRow(state, offer, random.NextDouble() < TrueProbability(state, offer), id));
            }
        }

        return rows;
    }

    /// <summary>
    /// Expected acceptance, under the truth, of three policies over some customers: the model's top
    /// offer, an offer at random, and the single offer best on average.
    /// </summary>
    public static (double ModelTop, double Random, double BestSingleOffer, double Oracle) PolicyValue(
        IReadOnlyList<CustomerState> customers, IReadOnlyList<Offer> offers, Func<CustomerState, Offer, float> score)
    {
        var bestOffer = offers.MaxBy(o => customers.Average(c => TrueProbability(c, o)))!;
        double model = 0, random = 0, best = 0, oracle = 0;
        foreach (var customer in customers)
        {
            var top = offers.MaxBy(o => score(customer, o))!;
            model += TrueProbability(customer, top);
            random += offers.Average(o => TrueProbability(customer, o));
            best += TrueProbability(customer, bestOffer);
            oracle += offers.Max(o => TrueProbability(customer, o));
        }

        var n = customers.Count;
        return (model / n, random / n, best / n, oracle / n);
    }
}
