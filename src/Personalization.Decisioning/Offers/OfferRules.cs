using System.Text.RegularExpressions;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Offers;

/// <summary>Validates an offer definition; every problem names its field as in the public contract.</summary>
public static partial class OfferRules
{
    /// <summary>Most content templates one offer carries.</summary>
    public const int MaxContents = 32;

    /// <summary>Every problem with <paramref name="offer"/>; empty when it can be saved.</summary>
    public static List<FieldError> Validate(Offer offer)
    {
        var errors = new List<FieldError>();
        if (!OfferId().IsMatch(offer.OfferId ?? ""))
        {
            errors.Add(new("offer.offer_id", "is required: 1 to 128 letters, digits, '-', '_' or '.'."));
        }

        if (string.IsNullOrWhiteSpace(offer.Name) || offer.Name.Length > 200)
        {
            errors.Add(new("offer.name", "is required, at most 200 characters."));
        }

        if (offer.Type == OfferType.Unspecified || !Enum.IsDefined(offer.Type))
        {
            errors.Add(new("offer.type", $"unknown offer type {(int)offer.Type}."));
        }

        NonNegative(errors, "offer.value", offer.Value);
        NonNegative(errors, "offer.reward", offer.Reward);
        NonNegative(errors, "offer.difficulty", offer.Difficulty);
        NonNegative(errors, "offer.business_weight", offer.BusinessWeight);
        if (offer.DurationDays < 0)
        {
            errors.Add(new("offer.duration_days", $"must not be negative, got {offer.DurationDays}."));
        }

        if (offer.Channels.Count == 0)
        {
            errors.Add(new("offer.channels", "at least one channel is required."));
        }
        else if (offer.Channels.Where(c => c == Channel.Unspecified || !Enum.IsDefined(c)).Select(c => (int?)c).FirstOrDefault() is { } bad)
        {
            errors.Add(new("offer.channels", $"unknown channel {bad}."));
        }

        if (offer.ValidFrom is { } from && offer.ValidUntil is { } until && until <= from)
        {
            errors.Add(new("offer.valid_until", "must be after valid_from."));
        }

        if (offer.Caps.PerCustomerPerDay < 0 || offer.Caps.PerCustomerPerWeek < 0 || offer.Caps.PerCustomerTotal < 0 || offer.Caps.Total < 0)
        {
            errors.Add(new("offer.caps", "caps must not be negative (0 means no cap)."));
        }

        if (offer.Tags.FirstOrDefault(t => !Tag().IsMatch(t)) is { } tag)
        {
            errors.Add(new("offer.tags", $"'{tag}' is not a tag: lower-case letters, digits and '-', at most 64."));
        }

        if (offer.EligibilityRule.Length > 0 && RuleLanguage.Check(offer.EligibilityRule) is { } ruleError)
        {
            errors.Add(new("offer.eligibility_rule", ruleError.ToString()));
        }

        if (offer.Placements.FirstOrDefault(p => !Decisions.PlacementContext.IsPlacement(p)) is { } placement)
        {
            errors.Add(new("offer.placements", $"'{placement}' is not a placement: 1 to 64 letters, digits, '-', '_' or '.'."));
        }

        if (offer.Contents.Count > MaxContents)
        {
            errors.Add(new("offer.contents", $"at most {MaxContents}, got {offer.Contents.Count}."));
        }

        for (var i = 0; i < offer.Contents.Count && i < MaxContents; i++)
        {
            var content = offer.Contents[i];
            if (!Enum.IsDefined(content.Channel))
            {
                errors.Add(new($"offer.contents[{i}].channel", $"unknown channel {(int)content.Channel}."));
            }

            if (content.Placement.Length > 0 && !Decisions.PlacementContext.IsPlacement(content.Placement))
            {
                errors.Add(new($"offer.contents[{i}].placement", $"'{content.Placement}' is not a placement: 1 to 64 letters, digits, '-', '_' or '.'."));
            }

            if (Content.ContentTemplates.Check(content.Template) is { } templateError)
            {
                errors.Add(new($"offer.contents[{i}].template", templateError));
            }

            if (offer.Contents.Take(i).Any(c => c.Channel == content.Channel && c.Placement == content.Placement))
            {
                errors.Add(new($"offer.contents[{i}]", "another content has the same channel and placement."));
            }
        }

        return errors;
    }

    private static void NonNegative(List<FieldError> errors, string field, double value)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            errors.Add(new(field, $"must be a finite number, not negative; got {value}."));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex OfferId();

    [GeneratedRegex("^[a-z0-9-]{1,64}$")]
    private static partial Regex Tag();
}
