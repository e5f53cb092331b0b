using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Personalization.Decisioning.Features;
using Personalization.Server.Grpc;
using DomainKind = Personalization.Scoring.Bundles.ModelKind;

namespace Personalization.Server.Models;

/// <summary>
/// Which training rows to build for a kind: offer rows (decisions since <see cref="Since"/>, outcomes
/// within <see cref="OutcomeWindow"/>), churn rows (customers seen since <see cref="Since"/>) or
/// snapshot rows (features at <see cref="AsOf"/>, labels over <see cref="LabelWindow"/> after it).
/// <c>ExportTrainingData</c> and activation on the service's data read the same request fields with
/// the same defaults and the same refusals.
/// </summary>
public sealed record TrainingRowQuery(DomainKind Kind, IReadOnlyList<FeatureSpec> Features, DateTime? Since, TimeSpan OutcomeWindow, DateTime AsOf, TimeSpan LabelWindow)
{
    /// <summary>Outcome window when the request leaves it 0.</summary>
    public const int DefaultWindowHours = 168;

    /// <summary>Label window when the request leaves it 0.</summary>
    public const int DefaultLabelWindowDays = 91;

    /// <summary>Snapshot rows: every kind but churn and offer.</summary>
    public bool Snapshot => IsSnapshot(Kind);

    /// <summary>Whether a kind's rows are snapshot rows replayed from the event export.</summary>
    public static bool IsSnapshot(DomainKind kind) => kind != DomainKind.Churn && kind != DomainKind.Offer;

    /// <summary>
    /// The query the request fields ask for (features still to be chosen); throws INVALID_ARGUMENT naming the
    /// field (outcome_window_hours, label_window_days, as_of, since) when one is out of range or does not fit the kind.
    /// </summary>
    public static TrainingRowQuery Parse(DomainKind kind, Timestamp? since, int outcomeWindowHours, Timestamp? asOf, int labelWindowDays, DateTime now)
    {
        var window = Window(outcomeWindowHours, "outcome_window_hours");
        var snapshot = IsSnapshot(kind);
        if (labelWindowDays is < 0 or > 366)
        {
            throw GrpcErrors.Invalid($"label_window_days: between 1 and 366 days (0 means {DefaultLabelWindowDays}), got {labelWindowDays}.");
        }

        var labelWindow = TimeSpan.FromDays(labelWindowDays == 0 ? DefaultLabelWindowDays : labelWindowDays);
        var at = asOf?.ToDateTime() ?? now - labelWindow;
        if (snapshot && Decisioning.Learning.SnapshotRows.Problem(at, labelWindow, now) is { } incomplete)
        {
            throw GrpcErrors.Invalid($"as_of: {incomplete}.");
        }

        if (snapshot && since is not null)
        {
            throw GrpcErrors.Invalid("since: snapshot rows replay every exported event up to as_of; leave since unset.");
        }

        if (!snapshot && (asOf is not null || labelWindowDays != 0))
        {
            throw GrpcErrors.Invalid($"as_of: snapshot rows only (a kind other than churn and offer); {ModelEntries.Name(kind)} rows have no snapshot.");
        }

        return new TrainingRowQuery(kind, [], since?.ToDateTime(), window, at, labelWindow);
    }

    /// <summary>An outcome window in hours, 1 to 720 (0: the default); INVALID_ARGUMENT naming <paramref name="field"/> otherwise.</summary>
    public static TimeSpan Window(int hours, string field) => hours is < 0 or > 720
        ? throw GrpcErrors.Invalid($"{field}: between 1 and 720 hours (0 means {DefaultWindowHours}), got {hours}.")
        : TimeSpan.FromHours(hours == 0 ? DefaultWindowHours : hours);

    /// <summary>The rows in words, for refusals and the measured figures, e.g. "the service's offer rows (decisions since …, outcomes within 168 h)".</summary>
    public string Describe(DateTime offerSince) => Kind == DomainKind.Offer
        ? F($"the service's offer rows (decisions since {offerSince:yyyy-MM-ddTHH:mm:ssZ}, outcomes within {OutcomeWindow.TotalHours:0} h)")
        : Snapshot
            ? F($"the service's {ModelEntries.Name(Kind)} rows (features at {AsOf:yyyy-MM-ddTHH:mm:ssZ}, labels over the {LabelWindow.TotalDays:0} days after)")
            : Since is { } from
                ? F($"the service's churn rows (customers seen since {from:yyyy-MM-ddTHH:mm:ssZ})")
                : "the service's churn rows (every customer)";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
