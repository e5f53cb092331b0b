using Personalization.Contracts.Persistence;

namespace Personalization.AzureStorage.Logs;

/// <summary>A log read back: each key's records by claim and sequence.</summary>
internal sealed class LogIndex
{
    private readonly Dictionary<string, List<(long Claim, LogRecord Record)>> _byKey = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Keys => _byKey.Keys;

    public void Add(ReadOnlyMemory<byte> segment)
    {
        foreach (var (key, claim, seq, payload) in LogFrames.Read(segment))
        {
            if (!_byKey.TryGetValue(key, out var records))
            {
                _byKey[key] = records = [];
            }

            records.Add((claim, new LogRecord(seq, payload)));
        }
    }

    public IReadOnlyList<LogRecord> For(string key, long claim, long afterSeq) =>
        _byKey.TryGetValue(key, out var records)
            ? [.. records.Where(r => r.Claim == claim && r.Record.Seq > afterSeq).Select(r => r.Record).OrderBy(r => r.Seq)]
            : [];
}
