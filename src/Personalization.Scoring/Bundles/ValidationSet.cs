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

    /// <summary>Parses a set for <paramref name="features"/>; throws <see cref="InvalidModelBundleException"/> naming the file, the column or the line.</summary>
    public static ValidationSet Parse(byte[] csv, IReadOnlyList<FeatureSpec> features, string labelColumn, ModelOutputKind output)
    {
        using var reader = new StringReader(Encoding.UTF8.GetString(csv));
        string[]? header = null;
        int[] columns = [];
        var label = -1;
        var inputs = new List<ModelInput>();
        var labels = new List<double>();
        foreach (var (line, fields) in CsvRecords.Read(reader))
        {
            if (header is null)
            {
                header = fields;
                label = Array.IndexOf(header, labelColumn);
                if (label < 0)
                {
                    throw new InvalidModelBundleException($"{FileName}: no label column '{labelColumn}' (the manifest's label_column)");
                }

                columns = [.. features.Select(f => Array.IndexOf(header, f.Name))];
                if (features.Select((f, i) => (f, i)).FirstOrDefault(p => columns[p.i] < 0).f is { } missing)
                {
                    throw new InvalidModelBundleException($"{FileName}: no column for feature '{missing.Name}'");
                }

                continue;
            }

            if (fields.Length != header.Length)
            {
                throw new InvalidModelBundleException($"{FileName} line {line}: {fields.Length} fields, the header has {header.Length}");
            }

            if (!TryLabel(fields[label], output, out var value))
            {
                throw new InvalidModelBundleException($"{FileName} line {line}: label '{fields[label]}' is not {(output == ModelOutputKind.Probability ? "0 or 1" : "a finite number")}");
            }

            var values = new string[features.Count];
            for (var i = 0; i < features.Count; i++)
            {
                values[i] = fields[columns[i]];
            }

            inputs.Add(FeatureVectors.FromValues(features, values, line));
            labels.Add(value);
        }

        if (inputs.Count < MinRows)
        {
            throw new InvalidModelBundleException($"{FileName}: {inputs.Count} labelled rows; at least {MinRows} are needed to measure the model");
        }

        if (output == ModelOutputKind.Probability && (labels.All(l => l == 1) || labels.All(l => l == 0)))
        {
            throw new InvalidModelBundleException($"{FileName}: every label is {labels[0]}; both classes are needed to measure AUC");
        }

        return new ValidationSet(inputs, labels);
    }

    private static bool TryLabel(string text, ModelOutputKind output, out double value)
    {
        var parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        return output == ModelOutputKind.Probability ? parsed && value is 0 or 1 : parsed;
    }
}
