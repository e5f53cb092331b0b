using Microsoft.Extensions.Options;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Learning;

namespace Personalization.Grains.Customers;

/// <summary>
/// The decision log with memory storage (demos, benchmarks, in-process test clusters): the same
/// encoded bytes as the blob log, per UTC day, in this silo's memory, the oldest days dropped past
/// <see cref="DecisionLogOptions.MaxMemoryBytes"/>. Nothing outlives the silo, as with the rest of memory storage.
/// </summary>
public sealed class MemoryDecisionLog(IOptions<DecisionLogOptions> options, TimeProvider time) : IDecisionLog
{
    private readonly Lock _lock = new();
    private readonly List<object> _queue = [];
    private readonly SortedDictionary<DateOnly, List<byte[]>> _days = [];
    private long _decisions;
    private long _outcomes;
    private long _bytes;
    private long _kept;

    public (long Decisions, long Outcomes, long Bytes) Written
    {
        get
        {
            lock (_lock)
            {
                return (_decisions, _outcomes, _bytes);
            }
        }
    }

    public void Append(LoggedDecision decision) => Queue(decision);

    public void Append(LoggedOutcome outcome) => Queue(outcome);

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Flush();
        }

        return Task.CompletedTask;
    }

    public Task<DecisionLogContent> ReadAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Flush();
            var (first, last) = (DateOnly.FromDateTime(from), DateOnly.FromDateTime(to));
            var bytes = _days.Where(d => d.Key >= first && d.Key <= last).SelectMany(d => d.Value).SelectMany(b => b).ToArray();
            return Task.FromResult(DecisionLogCodec.Decode(bytes));
        }
    }

    public Task<int> EraseAsync(IReadOnlySet<string> customerIds, CancellationToken cancellationToken)
    {
        var erased = 0;
        lock (_lock)
        {
            Flush();
            foreach (var blocks in _days.Values)
            {
                var content = DecisionLogCodec.Decode(blocks.SelectMany(b => b).ToArray());
                if (!DecisionLogCodec.Mentions(content, customerIds))
                {
                    continue;
                }

                var kept = DecisionLogCodec.Without(content, customerIds);
                erased += content.Decisions.Count + content.Outcomes.Count - kept.Decisions.Count - kept.Outcomes.Count;
                var rewritten = DecisionLogCodec.Encode(DecisionLogCodec.Entries(kept));
                _kept += rewritten.Length - blocks.Sum(b => (long)b.Length);
                blocks.Clear();
                blocks.Add(rewritten);
            }
        }

        return Task.FromResult(erased);
    }

    private void Queue(object entry)
    {
        lock (_lock)
        {
            _queue.Add(entry);
            if (_queue.Count >= 1024)
            {
                Flush();
            }
        }
    }

    // Under the lock: one encoded block for today, as the blob log appends one per interval.
    private void Flush()
    {
        if (_queue.Count == 0)
        {
            return;
        }

        var block = DecisionLogCodec.Encode(_queue);
        _decisions += _queue.Count(e => e is LoggedDecision);
        _outcomes += _queue.Count(e => e is LoggedOutcome);
        _bytes += block.Length;
        _kept += block.Length;
        _queue.Clear();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (!_days.TryGetValue(today, out var blocks))
        {
            _days[today] = blocks = [];
        }

        blocks.Add(block);
        while (_kept > options.Value.MaxMemoryBytes && _days.Count > 1)
        {
            var oldest = _days.First();
            _kept -= oldest.Value.Sum(b => (long)b.Length);
            _days.Remove(oldest.Key);
        }
    }
}
