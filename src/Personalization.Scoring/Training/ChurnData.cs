using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;

namespace Personalization.Scoring.Training;

/// <summary>
/// The telco churn data set as customers: each row's columns become traits exactly as
/// <c>personalize import customers</c> makes them, and Churn is the label.
/// </summary>
public static class ChurnData
{
    /// <summary>The features the churn model reads: the telco traits, by name.</summary>
    public static readonly IReadOnlyList<FeatureSpec> Features =
    [
        new("tenure", FeatureType.Float),
        new("monthly_charges", FeatureType.Float),
        new("total_charges", FeatureType.Float),
        new("senior_citizen", FeatureType.Float),
        new("partner", FeatureType.Bool),
        new("dependents", FeatureType.Bool),
        new("phone_service", FeatureType.Bool),
        new("paperless_billing", FeatureType.Bool),
        new("gender", FeatureType.String),
        new("multiple_lines", FeatureType.String),
        new("internet_service", FeatureType.String),
        new("online_security", FeatureType.String),
        new("online_backup", FeatureType.String),
        new("device_protection", FeatureType.String),
        new("tech_support", FeatureType.String),
        new("streaming_tv", FeatureType.String),
        new("streaming_movies", FeatureType.String),
        new("contract", FeatureType.String),
        new("payment_method", FeatureType.String),
    ];

    /// <summary>Rows of the telco CSV: customer state from the traits, label from Churn.</summary>
    public static List<TrainingRow> Read(TextReader csv)
    {
        var rows = new List<TrainingRow>();
        string[]? header = null;
        foreach (var (_, fields) in CsvRecords.Read(csv))
        {
            if (header is null)
            {
                header = [.. fields.Select(TraitParsing.SnakeCase)];
                continue;
            }

            if (fields.Length != header.Length)
            {
                continue;
            }

            var state = new CustomerState();
            for (var i = 0; i < header.Length; i++)
            {
                if (!string.IsNullOrWhiteSpace(fields[i]) && header[i] is not ("customer_id" or "churn"))
                {
                    state.Traits[header[i]] = new TraitEntry(TraitParsing.Typed(fields[i]), DateTime.UnixEpoch);
                }
            }

            var label = TraitParsing.Typed(fields[Array.IndexOf(header, "churn")]).Boolean;
            rows.Add(new TrainingRow(state, null, label, fields[Array.IndexOf(header, "customer_id")]));
        }

        return rows;
    }
}
