using System.Text.RegularExpressions;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Campaigns;

/// <summary>Validates a campaign definition; every problem names its field as in the public contract.</summary>
public static partial class CampaignRules
{
    /// <summary>Most candidate offers per campaign.</summary>
    public const int MaxOffers = 50;

    /// <summary>Most deliveries per member per campaign.</summary>
    public const int MaxPerCustomerLimit = 5;

    /// <summary>Most variants in one experiment.</summary>
    public const int MaxVariants = 10;

    /// <summary>Longest variant content.</summary>
    public const int MaxContentLength = 2_000;

    /// <summary>Every problem with <paramref name="campaign"/>; empty when it can be saved.</summary>
    public static List<FieldError> Validate(CampaignDefinition campaign)
    {
        var errors = new List<FieldError>();
        if (!Id().IsMatch(campaign.CampaignId))
        {
            errors.Add(new("campaign.campaign_id", "1 to 128 letters, digits, '-', '_' or '.'."));
        }

        if (string.IsNullOrWhiteSpace(campaign.Name) || campaign.Name.Length > 200)
        {
            errors.Add(new("campaign.name", "is required, at most 200 characters."));
        }

        if (string.IsNullOrWhiteSpace(campaign.Segment))
        {
            errors.Add(new("campaign.segment", "is required."));
        }

        if (campaign.OfferIds.Count == 0)
        {
            errors.Add(new("campaign.offer_ids", "at least one offer is required."));
        }
        else if (campaign.OfferIds.Count > MaxOffers)
        {
            errors.Add(new("campaign.offer_ids", $"at most {MaxOffers} offers, got {campaign.OfferIds.Count}."));
        }
        else if (campaign.OfferIds.Distinct(StringComparer.Ordinal).Count() != campaign.OfferIds.Count)
        {
            errors.Add(new("campaign.offer_ids", "each offer at most once."));
        }

        foreach (var channel in campaign.Channels.Where(c => c == Channel.Unspecified || !Enum.IsDefined(c) || c is Channel.Web or Channel.App or Channel.Store))
        {
            errors.Add(new("campaign.channels", $"{channel} is not a channel a campaign can send on (email, sms, push, in_app, direct_mail, social, call_center)."));
        }

        if (campaign.WindowStartHour is < 0 or > 23 || campaign.WindowEndHour is < 1 or > 24 || campaign.WindowStartHour == campaign.WindowEndHour)
        {
            errors.Add(new("campaign.send_window", $"start_hour 0..23 and end_hour 1..24, not equal; got {campaign.WindowStartHour}..{campaign.WindowEndHour}."));
        }

        if (campaign.MaxPerCustomer is < 1 or > MaxPerCustomerLimit)
        {
            errors.Add(new("campaign.frequency.max_per_customer", $"0 (meaning 1) to {MaxPerCustomerLimit}, got {campaign.MaxPerCustomer}."));
        }

        if (double.IsNaN(campaign.HoldoutShare) || campaign.HoldoutShare is < 0 or > 0.5)
        {
            errors.Add(new("campaign.holdout_share", $"between 0 and 0.5, got {campaign.HoldoutShare}."));
        }

        if (campaign.EndAt is { } end && (campaign.StartAt is { } start ? end <= start : end <= campaign.CreatedAt))
        {
            errors.Add(new("campaign.end_at", "must be after the start (or after now when there is no start)."));
        }

        ValidateVariants(campaign, errors);
        ValidateHold(campaign, errors);
        return errors;
    }

    // The test share needs the auto-winner (which needs variants) and a deadline; a deadline needs a test share.
    private static void ValidateHold(CampaignDefinition campaign, List<FieldError> errors)
    {
        if (campaign.TestShare != 0)
        {
            if (!double.IsFinite(campaign.TestShare) || campaign.TestShare is < CampaignHold.MinTestShare or > CampaignHold.MaxTestShare)
            {
                errors.Add(new("campaign.auto_winner.test_share", $"between {CampaignHold.MinTestShare} and {CampaignHold.MaxTestShare} (or 0 for no hold), got {campaign.TestShare}."));
            }
            else if (campaign.AutoWinnerMinExposure <= 0 || campaign.Variants.Count < 2)
            {
                errors.Add(new("campaign.auto_winner.test_share", "needs the auto-winner (min_exposure above 0) over two or more variants."));
            }

            if (campaign.DecideBy is not { } by)
            {
                errors.Add(new("campaign.auto_winner.decide_by", "is required with a test share: how long the held members wait for a winner before they get the first variant."));
            }
            else if (by <= TimeSpan.Zero || by > CampaignHold.MaxDecideBy)
            {
                errors.Add(new("campaign.auto_winner.decide_by", $"above 0 and at most {CampaignHold.MaxDecideBy.TotalDays:0} days, got {by}."));
            }
        }
        else if (campaign.DecideBy is not null)
        {
            errors.Add(new("campaign.auto_winner.decide_by", "only with a test_share (nothing is held without one)."));
        }
    }

    private static void ValidateVariants(CampaignDefinition campaign, List<FieldError> errors)
    {
        var variants = campaign.Variants;
        if (variants.Count == 0)
        {
            if (campaign.AutoWinnerMinExposure != 0)
            {
                errors.Add(new("campaign.auto_winner", "needs an experiment (two or more variants)."));
            }

            return;
        }

        if (variants.Count is 1 or > MaxVariants)
        {
            errors.Add(new("campaign.variants", $"2 to {MaxVariants} variants (or none), got {variants.Count}."));
        }

        if (campaign.AutoWinnerMinExposure < 0)
        {
            errors.Add(new("campaign.auto_winner.min_exposure", $"must not be negative, got {campaign.AutoWinnerMinExposure}."));
        }

        if (variants.Any(v => !double.IsFinite(v.Weight) || v.Weight <= 0))
        {
            errors.Add(new("campaign.variants.weight", "every weight must be above 0."));
        }
        else if (Math.Abs(variants.Sum(v => v.Weight) - 1) > 1e-9)
        {
            errors.Add(new("campaign.variants.weight", $"the weights must sum to 1, got {variants.Sum(v => v.Weight):0.######}."));
        }

        if (variants.Select(v => v.Name).Distinct(StringComparer.Ordinal).Count() != variants.Count)
        {
            errors.Add(new("campaign.variants.name", "each variant's name at most once."));
        }

        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            if (!Id().IsMatch(v.Name))
            {
                errors.Add(new($"campaign.variants[{i}].name", "1 to 128 letters, digits, '-', '_' or '.'."));
            }

            if (v.OfferIds.FirstOrDefault(o => !campaign.OfferIds.Contains(o)) is { } unknown)
            {
                errors.Add(new($"campaign.variants[{i}].offer_ids", $"'{unknown}' is not one of the campaign's offer_ids."));
            }

            if (v.Channels.Any(c => c == Channel.Unspecified || !Enum.IsDefined(c) || c is Channel.Web or Channel.App or Channel.Store))
            {
                errors.Add(new($"campaign.variants[{i}].channels", "only channels a campaign can send on (email, sms, push, in_app, direct_mail, social, call_center)."));
            }

            var start = v.WindowStartHour ?? campaign.WindowStartHour;
            var end = v.WindowEndHour ?? campaign.WindowEndHour;
            if (start is < 0 or > 23 || end is < 1 or > 24 || start == end)
            {
                errors.Add(new($"campaign.variants[{i}].send_window", $"start_hour 0..23 and end_hour 1..24, not equal; got {start}..{end}."));
            }

            if (v.Content.Length > MaxContentLength)
            {
                errors.Add(new($"campaign.variants[{i}].content", $"at most {MaxContentLength} characters."));
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex Id();
}
