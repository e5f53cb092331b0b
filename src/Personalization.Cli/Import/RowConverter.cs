using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Personalization.Decisioning.Customers;
using Personalization.V1.Conversions;
using Value = Personalization.V1.Value;

namespace Personalization.Cli.Import;

/// <summary>
/// Turns CSV records or JSON objects into traits: names become lower_snake_case, empty or
/// "unknown" values are left out, and values are typed (integers, reals, yes/no and true/false as
/// booleans, configured date columns as timestamps, everything else as text).
/// </summary>
public static class RowConverter
{
    private static readonly string[] IdColumns = ["customerID", "customer_id", "id"];

    /// <summary>The id column of a header, by setting or by the usual names.</summary>
    public static string? FindIdColumn(IEnumerable<string> columns, ImportSettings settings) =>
        settings.IdColumn is { } configured
            ? columns.FirstOrDefault(c => c == configured)
            : IdColumns.FirstOrDefault(id => columns.Contains(id, StringComparer.OrdinalIgnoreCase)) is { } found
                ? columns.First(c => c.Equals(found, StringComparison.OrdinalIgnoreCase))
                : null;

    /// <summary>A CSV record against its header.</summary>
    public static ImportRow FromCsv(int line, string[] header, string[] fields, string idColumn, ImportSettings settings)
    {
        if (fields.Length != header.Length)
        {
            return ImportRow.Rejected(line, $"has {fields.Length} fields, the header has {header.Length}");
        }

        var values = new List<(string Column, string? Text, JsonElement? Json)>(header.Length);
        for (var i = 0; i < header.Length; i++)
        {
            values.Add((header[i], fields[i], null));
        }

        return Convert(line, values, idColumn, settings);
    }

    /// <summary>One JSON-lines object.</summary>
    public static ImportRow FromJson(int line, string json, string? idColumn, ImportSettings settings)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ImportRow.Rejected(line, "is not a JSON object");
            }

            var properties = document.RootElement.EnumerateObject().ToList();
            var id = idColumn ?? FindIdColumn(properties.Select(p => p.Name), settings);
            if (id is null)
            {
                return ImportRow.Rejected(line, "has no id field (customerID, customer_id or id; or set --id-column)");
            }

            return Convert(line, [.. properties.Select(p => (p.Name, (string?)null, (JsonElement?)p.Value.Clone()))], id, settings);
        }
        catch (JsonException ex)
        {
            return ImportRow.Rejected(line, $"is not valid JSON ({ex.Message})");
        }
    }

    private static ImportRow Convert(int line, List<(string Column, string? Text, JsonElement? Json)> values, string idColumn, ImportSettings settings)
    {
        string? customerId = null;
        var traits = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (column, text, json) in values)
        {
            var raw = json is { } element ? Raw(element) : text;
            if (column == idColumn)
            {
                customerId = raw;
                continue;
            }

            if (string.IsNullOrWhiteSpace(raw) || (settings.Missing.TryGetValue(column, out var unknown) && raw == unknown))
            {
                continue;
            }

            if (settings.Dates.TryGetValue(column, out var format))
            {
                if (!DateTime.TryParseExact(raw, format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
                {
                    return ImportRow.Rejected(line, $"{column}: '{raw}' is not a date in the format {format}");
                }

                traits[TraitParsing.SnakeCase(column)] = new Value { TimestampValue = Timestamp.FromDateTime(date) };
                continue;
            }

            traits[TraitParsing.SnakeCase(column)] = json is { ValueKind: JsonValueKind.True or JsonValueKind.False } b ? new Value { BoolValue = b.GetBoolean() } : Typed(raw);
        }

        if (string.IsNullOrWhiteSpace(customerId))
        {
            return ImportRow.Rejected(line, $"has no customer id in {idColumn}");
        }

        return new ImportRow(line, customerId.Trim(), traits, null);
    }

    private static string? Raw(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => element.GetRawText(),
    };

    private static Value Typed(string raw) => TraitParsing.Typed(raw).ToContract();
}
