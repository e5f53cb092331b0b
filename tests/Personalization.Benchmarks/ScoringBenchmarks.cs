using BenchmarkDotNet.Attributes;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Training;
using Personalization.Testing;

namespace Personalization.Benchmarks;

/// <summary>
/// Feature building and scoring for one customer, with the cost of copying the customer's traits
/// as the same-run floor: a realistic telco customer against the shipped churn model and the
/// 10-offer portfolio against the shipped offer model.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private readonly DateTime _now = OfferSimulation.ReferenceDate;
    private CustomerState _customer = null!;
    private List<Offer> _offers = null!;
    private ScoringService _scoring = null!;

    [GlobalSetup]
    public void Setup()
    {
        var models = Path.Combine(RepositoryPaths.Root, "models");
        _scoring = new ScoringService();
        foreach (var kind in new[] { "churn", "offer" })
        {
            _scoring.Activate(ModelBundle.Read(Directory.GetFiles(Path.Combine(models, kind), "*.zip").Single()));
        }

        _offers = PortfolioOffers.Parse(File.ReadLines(Path.Combine(models, "data", "offer-portfolio", "portfolio.json")));
        using var csv = new StreamReader(Path.Combine(models, "data", "telco-churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv"));
        _customer = ChurnData.Read(csv)[0].Customer;
        _customer.Traits["age"] = new TraitEntry(TraitValue.Of(40L), _now);
        _customer.Traits["income"] = new TraitEntry(TraitValue.Of(60000.0), _now);
    }

    [Benchmark(Baseline = true, Description = "floor: copy the traits")]
    public int CopyTraits() => new Dictionary<string, TraitEntry>(_customer.Traits).Count;

    [Benchmark(Description = "build churn features")]
    public ModelInput BuildChurnFeatures() => FeatureVectors.Build(ChurnData.Features, _customer, _now);

    [Benchmark(Description = "score churn")]
    public float ScoreChurn() => _scoring.ScoreChurn(_customer, _now)!.Value.Probability;

    [Benchmark(Description = "score 10 offers")]
    public float ScoreTenOffers() => _scoring.ScoreOffers(_customer, _offers, _now)!.Value.Probabilities[0];
}
