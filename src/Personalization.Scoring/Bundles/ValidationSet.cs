using System.Globalization;
using System.Text;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Scoring.Scoring;

namespace Personalization.Scoring.Bundles;

/// <summary>
/// A bundle's labelled validation set (<c>holdout.csv</c>): rows with a column per feature, named as
/// the feature and written as <c>data export</c> writes it (numbers, 1/0 for booleans, text for
/// categories, empty for missing), and a label column. Extra columns are ignored, so an export's
/// rows can be used as they are. Activation scores it with the service's own code and believes
/// those figures, not the manifest's.
/// </summary>
public sealed record ValidationSet(IReadOnlyList<ModelInput> Inputs, IReadOnlyList<double> Labels)
{
    /// <summary>The file name inside a bundle.</summary>
    public const string FileName = "holdout.csv";

    /// <summary>Fewest rows a set may have: fewer cannot measure anything.</summary>
    public const int MinRows = 20;

    /// <summary>Where the rows came from, as refusals and measured figures name it (the bundle's file, or the service's own rows).</summary>
    public string Source { get; init; } = FileName;

    /// <summary>How many labels are 1 (a probability model's positives).</summary>
    public int Positives => Labels.Count(l => l == 1);

    /// <summary>Parses a set for <paramref name="features"/>; throws <see cref="InvalidModelBundleException"/> naming the file, the column or the line.</summary>
    public static ValidationSet Parse(byte[] csv, IReadOnlyList<FeatureSpec> features, string labelColumn, ModelOutputKind output)
    {
        using var reader = new StringReader(Encoding.UTF8.GetString(csv));
        var records = CsvRecords.Read(reader).ToList();
        var set = Build(FileName, records.Count == 0 ? null : records[0].Fields, records.Skip(1).Select(r => (r.Line, (IReadOnlyList<string>)r.Fields)), features, labelColumn, output, skipUnlabelled: false);
        return Shortage(set.Labels.Count, set.Positives, output, MinRows, minPerClass: 1) is { } shortage
            ? throw new InvalidModelBundleException($"{FileName}: {shortage}")
            : set;
    }

    /// <summary>
    /// A set from rows the service built itself (<paramref name="header"/> then <paramref name="rows"/>, as
    /// <c>ExportTrainingData</c> writes them), named <paramref name="source"/>. Rows without a label
    /// (a churn row of a customer with no churn trait) are left out; the size is not checked (see <see cref="Shortage"/>).
    /// </summary>
    public static ValidationSet FromRows(string source, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<FeatureSpec> features, string labelColumn, ModelOutputKind output) =>
        Build(source, header, rows.Select((r, i) => (i + 2, r)), features, labelColumn, output, skipUnlabelled: true);

    /// <summary>
    /// Why a set of <paramref name="rows"/> labelled rows with <paramref name="positives"/> positives cannot
    /// measure a model, or null: fewer than <paramref name="minRows"/> rows, or for a probability fewer than
    /// <paramref name="minPerClass"/> rows of either class (AUC needs both). Pure.
    /// </summary>
    public static string? Shortage(int rows, int positives, ModelOutputKind output, int minRows, int minPerClass)
    {
        if (rows < minRows)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{rows} labelled rows; at least {minRows} are needed to measure the model");
        }

        if (output != ModelOutputKind.Probability || Math.Min(positives, rows - positives) >= minPerClass)
        {
            return null;
        }

        return minPerClass <= 1
            ? string.Create(CultureInfo.InvariantCulture, $"every label is {(positives == 0 ? 0 : 1)}; both classes are needed to measure AUC")
            : string.Create(CultureInfo.InvariantCulture, $"{rows} labelled rows with {positives} positives and {rows - positives} negatives; at least {minPerClass} of each class are needed to measure AUC");
    }

    private static ValidationSet Build(string source, IReadOnlyList<string>? header, IEnumerable<(int Line, IReadOnlyList<string> Fields)> rows, IReadOnlyList<FeatureSpec> features, string labelColumn, ModelOutputKind output, bool skipUnlabelled)
    {
        var inputs = new List<ModelInput>();
        var labels = new List<double>();
        if (header is null)
        {
            return new ValidationSet(inputs, labels) { Source = source };
        }

        var label = IndexOf(header, labelColumn);
        if (label < 0)
        {
            throw new InvalidModelBundleException($"{source}: no label column '{labelColumn}' (the manifest's label_column)");
        }

        var columns = features.Select(f => IndexOf(header, f.Name)).ToArray();
        if (features.Select((f, i) => (f, i)).FirstOrDefault(p => columns[p.i] < 0).f is { } missing)
        {
            throw new InvalidModelBundleException($"{source}: no column for feature '{missing.Name}'");
        }

        foreach (var (line, fields) in rows)
        {
            if (fields.Count != header.Count)
            {
                throw new InvalidModelBundleException($"{source} line {line}: {fields.Count} fields, the header has {header.Count}");
            }

            if (skipUnlabelled && fields[label].Length == 0)
            {
                continue;
            }

            if (!TryLabel(fields[label], output, out var value))
            {
                throw new InvalidModelBundleException($"{source} line {line}: label '{fields[label]}' is not {(output == ModelOutputKind.Probability ? "0 or 1" : "a finite number")}");
            }

            var values = new string[features.Count];
            for (var i = 0; i < features.Count; i++)
            {
                values[i] = fields[columns[i]];
            }

            inputs.Add(FeatureVectors.FromValues(features, values, line));
            labels.Add(value);
        }

        return new ValidationSet(inputs, labels) { Source = source };
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryLabel(string text, ModelOutputKind output, out double value)
    {
        var parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        return output == ModelOutputKind.Probability ? parsed && value is 0 or 1 : parsed;
    }
}
