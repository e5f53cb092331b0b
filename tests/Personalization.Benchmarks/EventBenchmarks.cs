using BenchmarkDotNet.Attributes;
using Personalization.Decisioning.Customers;

namespace Personalization.Benchmarks;

/// <summary>Applying one event to a customer's state, against validating it (the edge's share).</summary>
[MemoryDiagnoser]
public class EventBenchmarks
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);
    private readonly EventLimits _limits = new();
    private CustomerState _state = null!;
    private CustomerEvent[] _events = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _state = new CustomerState();
        _events = [.. Enumerable.Range(0, 4096).Select(i => new CustomerEvent
        {
            EventId = $"e{i}",
            CustomerId = "c1",
            Type = i % 3 == 0 ? CustomerEventType.SessionStarted : CustomerEventType.PageView,
            Channel = Channel.Web,
            OccurredAt = Now.AddMinutes(-i),
        })];
    }

    [Benchmark(Baseline = true, Description = "validate an event")]
    public int Validate() => EventRules.Validate(_events[_next++ & 4095], Now, _limits).Count;

    [Benchmark(Description = "apply an event")]
    public ApplyOutcome Apply() => CustomerEvents.Apply(_state, _events[_next++ & 4095]);
}
