using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Offers;

/// <summary>
/// One piece of an offer's content: a Liquid template for a channel and a placement
/// (<see cref="Channel.Unspecified"/> and "" match any), rendered per customer when chosen.
/// </summary>
/// <param name="Channel">The channel it is for; Unspecified means any.</param>
/// <param name="Placement">The placement it is for; "" means any.</param>
/// <param name="Template">The Liquid template (see README: content templates).</param>
[GenerateSerializer, Immutable]
public sealed record OfferContent(
    [property: Id(0)] Channel Channel,
    [property: Id(1)] string Placement,
    [property: Id(2)] string Template)
{
    /// <summary>
    /// The content that fits a channel and placement best: both exact, then the channel for any
    /// placement, then the placement on any channel, then the one for any; null when none fits.
    /// </summary>
    public static OfferContent? Best(IReadOnlyList<OfferContent> contents, Channel channel, string placement)
    {
        OfferContent? best = null;
        var bestScore = -1;
        foreach (var content in contents)
        {
            var channelFits = content.Channel == channel ? 2 : content.Channel == Channel.Unspecified ? 0 : -1;
            var placementFits = content.Placement.Length > 0 && content.Placement == placement ? 1 : content.Placement.Length == 0 ? 0 : -1;
            if (channelFits >= 0 && placementFits >= 0 && channelFits + placementFits > bestScore)
            {
                (best, bestScore) = (content, channelFits + placementFits);
            }
        }

        return best;
    }
}
