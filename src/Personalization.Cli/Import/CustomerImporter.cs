using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Personalization.Decisioning.Customers;
using Personalization.V1;

namespace Personalization.Cli.Import;

/// <summary>
/// Streams a CSV or JSON-lines file of customers to the server as TRAITS_SET events, one per row.
/// Each event's id is a hash of the row, so importing the same file again changes nothing.
/// </summary>
public sealed class CustomerImporter(EventService.EventServiceClient events, ImportSettings settings)
{
    /// <summary>Imports <paramref name="path"/>; <paramref name="progress"/> gets the rows read so far.</summary>
    public async Task<ImportSummary> ImportAsync(string path, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var summary = new ImportSummary();
        var lines = new List<int>();
        var now = Timestamp.FromDateTime(DateTime.UtcNow);
        using var call = events.TrackStream(cancellationToken: cancellationToken);
        foreach (var row in Rows(path))
        {
            summary.Read++;
            if (row.Error is not null)
            {
                summary.Rejected.Add((row.Line, row.Error));
            }
            else
            {
                lines.Add(row.Line);
                await call.RequestStream.WriteAsync(ToEvent(row, now), cancellationToken);
            }

            if (summary.Read % 250 == 0)
            {
                progress?.Report(summary.Read);
            }
        }

        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;
        progress?.Report(summary.Read);
        summary.Accepted = response.Accepted;
        summary.Duplicates = response.Duplicates;
        foreach (var rejected in response.Rejected)
        {
            summary.Rejected.Add((lines[rejected.Index], $"{rejected.Field}: {rejected.Reason}"));
        }

        summary.Rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
        return summary;
    }

    /// <summary>Rows of a file: JSON lines for .json/.jsonl/.ndjson, CSV with a header otherwise.</summary>
    public IEnumerable<ImportRow> Rows(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".json" or ".jsonl" or ".ndjson" ? JsonRows(path) : CsvRows(path);
    }

    private IEnumerable<ImportRow> JsonRows(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return RowConverter.FromJson(number, line, settings.IdColumn, settings);
            }
        }
    }

    private IEnumerable<ImportRow> CsvRows(string path)
    {
        using var reader = new StreamReader(path);
        using var records = CsvRecords.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            yield break;
        }

        var header = records.Current.Fields;
        var id = RowConverter.FindIdColumn(header, settings)
            ?? throw new InvalidOperationException($"{path}: no id column in the header (customerID, customer_id or id; or set --id-column).");
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            if (fields is [""])
            {
                continue;
            }

            yield return RowConverter.FromCsv(line, header, fields, id, settings);
        }
    }

    private static Event ToEvent(ImportRow row, Timestamp now)
    {
        var traits = new TraitsDetail();
        foreach (var (name, value) in row.Traits)
        {
            traits.Traits[name] = value;
        }

        return new Event
        {
            EventId = $"import-{RowHash(row)}",
            CustomerId = row.CustomerId,
            Type = EventType.TraitsSet,
            OccurredAt = now,
            Traits = traits,
        };
    }

    private static string RowHash(ImportRow row)
    {
        var text = new StringBuilder(row.CustomerId);
        foreach (var (name, value) in row.Traits.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            text.Append('\u001f').Append(name).Append('=').Append(value);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}
