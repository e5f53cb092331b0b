using BenchmarkDotNet.Attributes;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Rules;

namespace Personalization.Benchmarks;

/// <summary>
/// Arbitration (the decision engine over 10 scored offers, inbound and outbound) and the rule
/// language (a compiled segment rule evaluated; rules are compiled once and cached), against a
/// floor: copying the 10 scored offers.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private const string Rule = "churn > 0.7 and consented(email) and days_since(last_purchase) > 30 or plan in ['gold', 'platinum']";
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);
    private readonly DecisionPolicy _policy = new();
    private readonly DecisionRequest _inbound = new(DecisionMode.Inbound, [Channel.Web], 3, []);
    private readonly DecisionRequest _outbound = new(DecisionMode.Outbound, [], 1, []);
    private CustomerState _state = null!;
    private ScoredOffer[] _offers = null!;
    private CompiledRule _rule = null!;
    private int _number;
    private string _customer = "";

    [GlobalSetup]
    public void Setup()
    {
        _state = new CustomerState();
        CustomerEvent Event(string id, CustomerEventType type, Channel channel, int minutesAgo) => new()
        {
            EventId = id, CustomerId = "bench-customer", Type = type, Channel = channel, OccurredAt = Now.AddMinutes(-minutesAgo),
            Purpose = type == CustomerEventType.ConsentGranted ? "marketing" : null,
            Amount = type == CustomerEventType.Purchase ? 42 : 0, Currency = type == CustomerEventType.Purchase ? "EUR" : null, OrderId = type == CustomerEventType.Purchase ? "o1" : null,
            Traits = type == CustomerEventType.TraitsSet ? new() { ["plan"] = TraitValue.Of("gold") } : null,
        };
        foreach (var e in new[]
        {
            Event("t", CustomerEventType.TraitsSet, Channel.Unspecified, 90_000),
            Event("c", CustomerEventType.ConsentGranted, Channel.Email, 80_000),
            Event("p", CustomerEventType.Purchase, Channel.Web, 70_000),
            Event("s", CustomerEventType.SessionStarted, Channel.Web, 60),
        })
        {
            CustomerEvents.Apply(_state, e);
        }

        var types = new[] { OfferType.Discount, OfferType.Bogo, OfferType.Informational, OfferType.Retention };
        _offers = [.. Enumerable.Range(0, 10).Select(i => new ScoredOffer(
            new Offer { OfferId = $"o{i}", Name = $"Offer {i}", Type = types[i % 4], Value = 5 + i, Reward = 2, Difficulty = 10, DurationDays = 7, Channels = [Channel.Web, Channel.Email, Channel.Push] },
            0.05 + i * 0.03, 100 + i, 10 + i))];
        _rule = RuleLanguage.Compile(Rule);
        // A customer outside the holdout, so every call arbitrates.
        _customer = Enumerable.Range(0, 100).Select(i => $"bench-customer-{i}").First(id => !DecisionEngine.InHoldout(id, _policy));
    }

    [Benchmark(Baseline = true, Description = "floor: copy 10 scored offers")]
    public int Floor() => new List<ScoredOffer>(_offers).Count;

    [Benchmark(Description = "arbitrate 10 offers, inbound")]
    public int Inbound() => DecisionEngine.Decide(_customer, _state, _offers, 0.3, _inbound, _policy, ++_number, Now).Actions.Count;

    [Benchmark(Description = "arbitrate 10 offers × channels and hours, outbound")]
    public int Outbound() => DecisionEngine.Decide(_customer, _state, _offers, 0.3, _outbound, _policy, ++_number, Now).Actions.Count;

    [Benchmark(Description = "evaluate a compiled segment rule")]
    public bool Evaluate() => _rule.Matches(_state, Now);
}
