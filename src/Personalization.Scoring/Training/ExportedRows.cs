using System.Globalization;
using System.Text;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Scoring.Scoring;

namespace Personalization.Scoring.Training;

/// <summary>
/// Rows <c>personalize data export</c> wrote, read back to train on: every column but the ids, the
/// decision's bookkeeping and the label is a feature (numbers when every value is one, else a
/// category), rows are grouped by <c>customer_id</c>, and rows without a label are left out.
/// </summary>
public sealed record ExportedRows(string[] Header, IReadOnlyList<string[]> Rows, IReadOnlyList<FeatureSpec> Features, string Label)
{
    /// <summary>Export columns that are not features.</summary>
    public static readonly IReadOnlySet<string> NotFeatures = new HashSet<string>(StringComparer.Ordinal)
    {
        "customer_id", "decision_id", "offer_id", "decided_at", "channel", "arm", "offer_model_version", "placement", "propensity", "score", "outcome",
        "snapshot_at", Decisioning.Learning.SnapshotRows.RevenueLabel, Decisioning.Learning.SnapshotRows.PurchasedLabel,
    };

    /// <summary>
    /// Reads an export; throws <see cref="InvalidDataException"/> when the label column is missing or no
    /// row is labelled (0 or 1; with <paramref name="value"/>, any finite number).
    /// </summary>
    public static ExportedRows Read(TextReader csv, string label, bool value = false)
    {
        string[]? header = null;
        var rows = new List<string[]>();
        foreach (var (_, fields) in CsvRecords.Read(csv))
        {
            if (header is null)
            {
                header = fields;
                continue;
            }

            if (fields.Length == header.Length)
            {
                rows.Add(fields);
            }
        }

        var labelAt = header is null ? -1 : Array.IndexOf(header, label);
        if (labelAt < 0)
        {
            throw new InvalidDataException($"the rows have no label column '{label}'");
        }

        rows = [.. rows.Where(r => value ? IsValue(r[labelAt]) : r[labelAt] is "0" or "1")];
        if (rows.Count == 0)
        {
            throw new InvalidDataException(value ? $"no row has a label ('{label}' is a finite number)" : $"no row has a label ('{label}' is 0 or 1)");
        }

        var features = header!
            .Select((name, i) => (name, i))
            .Where(c => c.i != labelAt && !NotFeatures.Contains(c.name))
            .Select(c => new FeatureSpec(c.name, rows.All(r => r[c.i].Length == 0 || float.TryParse(r[c.i], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) ? FeatureType.Float : FeatureType.String))
            .ToList();
        return new ExportedRows(header!, rows, features, label);
    }

    private static bool IsValue(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number);

    /// <summary>The rows as labelled model inputs, grouped by customer: <see cref="ModelInput.Label"/> is the label as 0/1, <see cref="ModelInput.Value"/> as a number.</summary>
    public List<(ModelInput Input, bool Label, string Group)> Examples()
    {
        var columns = Features.Select(f => Array.IndexOf(Header, f.Name)).ToArray();
        var (labelAt, groupAt) = (Array.IndexOf(Header, Label), Array.IndexOf(Header, "customer_id"));
        var examples = new List<(ModelInput, bool, string)>(Rows.Count);
        for (var n = 0; n < Rows.Count; n++)
        {
            var row = Rows[n];
            var input = FeatureVectors.FromValues(Features, [.. columns.Select(c => row[c])], n + 2);
            input.Label = row[labelAt] == "1";
            input.Value = float.Parse(row[labelAt], NumberStyles.Float, CultureInfo.InvariantCulture);
            examples.Add((input, input.Label, groupAt < 0 ? n.ToString(CultureInfo.InvariantCulture) : row[groupAt]));
        }

        return examples;
    }

    /// <summary>Some rows as a validation set: the export's own columns, labelled by <see cref="Label"/>.</summary>
    public byte[] Holdout(IEnumerable<int> rows)
    {
        var csv = new StringBuilder(CsvRecords.Line(Header));
        foreach (var i in rows)
        {
            csv.Append(CsvRecords.Line(Rows[i]));
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
