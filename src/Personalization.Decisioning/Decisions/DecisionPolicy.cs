using System.ComponentModel.DataAnnotations;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Decisions;

/// <summary>The business rules of a decision: holdout, exploration, retention boost, caps, quiet hours, priors (section <c>Decisions</c>).</summary>
public sealed record DecisionPolicy : IValidatableObject
{
    public const string Section = "Decisions";

    /// <summary>Share of customers held out as a control group (stable per customer).</summary>
    public double HoldoutShare { get; init; } = 0.05;

    /// <summary>Share of customers in the global control group, held out of every campaign, journey and decision (0..0.1).</summary>
    public double GlobalControlShare { get; init; }

    /// <summary>Salt of the global control draw: an operator changes it to re-draw the group.</summary>
    public string GlobalControlSalt { get; init; } = "";

    /// <summary>Days before a conversion whose touches share its credit (1..30).</summary>
    public double AttributionWindowDays { get; init; } = Measurement.AttributionSettings.DefaultWindowDays;

    /// <summary>Half-life in days of the time-decay attribution model (0.1..30).</summary>
    public double AttributionHalfLifeDays { get; init; } = Measurement.AttributionSettings.DefaultHalfLifeDays;

    /// <summary>The attribution window and half-life as the attribution functions take them.</summary>
    public Measurement.AttributionSettings Attribution => new(AttributionWindowDays, AttributionHalfLifeDays);

    /// <summary>Share of decisions whose top action is chosen by Thompson sampling instead of by priority.</summary>
    public double ExplorationShare { get; init; } = 0.05;

    /// <summary>Retention offers weigh 1 + this × churn.</summary>
    public double RetentionBoost { get; init; } = 2;

    /// <summary>
    /// The customer lifetime value at which a retention offer keeps its weight when a clv model is
    /// active: a customer worth twice this weighs a retention offer twice (<see cref="RetentionWeight"/>);
    /// 0 turns the scaling off. The default is the mean 91-day spend the shipped clv model was trained on.
    /// </summary>
    public double ClvReference { get; init; } = 600;

    /// <summary>The most a clv score scales a retention offer's weight up (and 1 ÷ this the most down).</summary>
    public double MaxClvScale { get; init; } = 4;

    /// <summary>Local hour at which quiet hours begin (no outbound sends).</summary>
    public int QuietFromHour { get; init; } = 21;

    /// <summary>Local hour at which quiet hours end.</summary>
    public int QuietUntilHour { get; init; } = 8;

    /// <summary>Most outbound actions per customer in 24 hours, all channels.</summary>
    public int MaxOutboundPerDay { get; init; } = 3;

    /// <summary>Most outbound actions per customer and channel in 7 days.</summary>
    public int MaxPerChannelPerWeek { get; init; } = 3;

    /// <summary>Acceptance probability used when no offer model is active.</summary>
    public double PriorAcceptance { get; init; } = 0.1;

    /// <summary>Engagement rate of a channel for a customer with no history (population prior).</summary>
    public IReadOnlyDictionary<Channel, double> ChannelPrior { get; init; } = new Dictionary<Channel, double>
    {
        [Channel.Email] = 0.20, [Channel.Push] = 0.12, [Channel.Sms] = 0.15, [Channel.InApp] = 0.25,
        [Channel.Web] = 0.30, [Channel.App] = 0.30, [Channel.Social] = 0.05, [Channel.DirectMail] = 0.03,
        [Channel.Store] = 0.10, [Channel.CallCenter] = 0.10,
    };

    /// <summary>Pseudo-sends the prior counts for when smoothing a customer's own rate.</summary>
    public double PriorWeight { get; init; } = 10;

    /// <summary>Seed of the exploration draws (with the customer and decision number), so runs are reproducible.</summary>
    public int Seed { get; init; } = 17;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HoldoutShare is < 0 or > 0.5)
        {
            yield return new("must be between 0 and 0.5.", [nameof(HoldoutShare)]);
        }

        if (double.IsNaN(GlobalControlShare) || GlobalControlShare is < 0 or > Measurement.GlobalControl.MaxShare)
        {
            yield return new($"must be between 0 and {Measurement.GlobalControl.MaxShare}.", [nameof(GlobalControlShare)]);
        }

        foreach (var (field, reason) in Attribution.Errors())
        {
            yield return new(reason, [field == "window_days" ? nameof(AttributionWindowDays) : nameof(AttributionHalfLifeDays)]);
        }

        if (ExplorationShare is < 0 or > 1)
        {
            yield return new("must be between 0 and 1.", [nameof(ExplorationShare)]);
        }

        if (QuietFromHour is < 0 or > 23 || QuietUntilHour is < 0 or > 23)
        {
            yield return new("quiet hours are local hours, 0 to 23.", [nameof(QuietFromHour)]);
        }

        if (double.IsNaN(ClvReference) || ClvReference < 0 || double.IsNaN(MaxClvScale) || MaxClvScale < 1)
        {
            yield return new("clv reference must not be negative, and the most clv scale at least 1.", [nameof(ClvReference)]);
        }

        if (MaxOutboundPerDay < 0 || MaxPerChannelPerWeek < 0 || RetentionBoost < 0 || PriorWeight <= 0 || PriorAcceptance is < 0 or > 1)
        {
            yield return new("caps, boost and priors must not be negative (prior weight positive, prior acceptance within 0..1).", [nameof(MaxOutboundPerDay)]);
        }
    }
}
