using System.Text.Json;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Offers;

/// <summary>Reads the offer portfolio data set (one JSON object a line: id, offer_type, reward, difficulty, duration, channels).</summary>
public static class PortfolioOffers
{
    /// <summary>The offers of a portfolio file's lines; "mobile" means push and in-app messages.</summary>
    public static List<Offer> Parse(IEnumerable<string> lines)
    {
        var offers = new List<Offer>();
        foreach (var line in lines.Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var type = root.GetProperty("offer_type").GetString() switch
            {
                "bogo" => OfferType.Bogo,
                "discount" => OfferType.Discount,
                "informational" => OfferType.Informational,
                var other => throw new FormatException($"unknown offer_type '{other}'"),
            };
            var channels = root.GetProperty("channels").EnumerateArray().SelectMany(c => c.GetString() switch
            {
                "email" => new[] { Channel.Email },
                "mobile" => [Channel.Push, Channel.InApp],
                "social" => [Channel.Social],
                "web" => [Channel.Web],
                var other => throw new FormatException($"unknown channel '{other}'"),
            }).ToList();
            var reward = root.GetProperty("reward").GetDouble();
            var difficulty = root.GetProperty("difficulty").GetDouble();
            var duration = (int)root.GetProperty("duration").GetDouble();
            offers.Add(new Offer
            {
                OfferId = root.GetProperty("id").GetString()!,
                Name = $"{type} {reward:0}/{difficulty:0} {duration}d".ToLowerInvariant(),
                Type = type,
                Reward = reward,
                Difficulty = difficulty,
                DurationDays = duration,
                // What an accepted offer is worth to the business: the spend it requires, less the reward given.
                Value = Math.Max(1, difficulty - reward),
                Channels = channels,
            });
        }

        return offers;
    }
}
