using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Diagnostics;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Decisions;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Persistence;
using Personalization.Grains.Common;
using Personalization.Contracts.Segments;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Rules;
using Personalization.Decisioning.Segments;
using Personalization.Grains.Models;
using Personalization.Grains.Offers;
using Personalization.Grains.Segments;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;

namespace Personalization.Grains.Customers;

/// <summary>One customer's live state; the domain rules live in <see cref="CustomerEvents"/>.</summary>
public sealed partial class CustomerGrain(
    [PersistentState("customer", StorageNames.Grains)] IPersistentState<CustomerState> customer,
    IOptions<CustomerPersistenceOptions> persistence,
    ScoringService scoring,
    IOptions<DecisionPolicy> policy,
    SegmentCache segments,
    OfferCache offers,
    ModelResultsCounter results,
    TimeProvider time,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain
{
    private readonly CustomerPersistenceOptions _persistence = persistence.Value;
    private int _unsaved;
    private WriteBehind? _flush;
    private bool _listed;

    private CustomerState State => customer.State;

    private string Key => this.GetPrimaryKeyString();

    /// <summary>The churn rate of the telco population: the prior when no churn model is active.</summary>
    private const double PopulationChurn = 0.265;

    public async Task<TrackResult> Track(List<CustomerEvent> events)
    {
        if (State.MergedInto is { } knownCustomer)
        {
            return new TrackResult(TrackStatus.Forward, knownCustomer, 0, 0);
        }

        int applied = 0, duplicates = 0;
        var mustWrite = false;
        var conversions = new List<(string CampaignId, bool Holdout)>();
        foreach (var e in events)
        {
            if (e.Type == CustomerEventType.Identify && !IsRecent(e))
            {
                await MergeAnonymousAsync(e.LinkedAnonymousId!);
            }

            if (CustomerEvents.Apply(State, e) == ApplyOutcome.Duplicate)
            {
                duplicates++;
                continue;
            }

            applied++;
            mustWrite |= MustBeDurable(e);
            if (e.Type == CustomerEventType.Purchase)
            {
                conversions.AddRange(CampaignDecisions.AttributePurchase(State, e.OccurredAt));
            }
        }

        if (applied > 0)
        {
            await UpdateSegmentsAsync(0);
            _unsaved += applied;
            await PersistAsync(mustWrite);
            foreach (var (campaignId, holdout) in conversions)
            {
                await GrainFactory.GetGrain<ICampaignGrain>(campaignId).RecordConversion(holdout);
            }
        }

        return new TrackResult(applied > 0 ? TrackStatus.Applied : TrackStatus.Duplicate, Key, applied, duplicates);
    }

    public Task<CustomerState?> GetState() => Task.FromResult(State.IsEmpty ? null : State);

    public async Task<DecisionResponse> Decide(DecisionRequest request)
    {
        if (State.MergedInto is { } knownCustomer)
        {
            return new DecisionResponse { ForwardTo = knownCustomer };
        }

        var now = time.GetUtcNow().UtcDateTime;
        var live = await offers.GetAsync(request.OfferIds);
        if (request.OfferIds.Count > 0)
        {
            var unknown = request.OfferIds.Where(id => !live.Any(o => o.Offer.OfferId == id)).ToList();
            if (unknown.Count > 0)
            {
                return new DecisionResponse { UnknownOffers = unknown };
            }

            live = [.. live.Where(o => request.OfferIds.Contains(o.Offer.OfferId))];
        }

        using var activity = ProductTelemetry.Source.StartActivity("decide");
        var churn = await GetChurnScore();
        var (scored, offerModel) = Score(live, now);

        var number = ++State.DecisionCount;
        var result = DecisionEngine.Decide(Key, State, scored, churn?.Value ?? PopulationChurn, request, policy.Value, number, now);
        var decisionId = $"d-{number:x}-{Guid.NewGuid():N}";
        DecisionMemory.Remember(State, decisionId, result, request.Mode, offerModel, now);
        CountDecision(decisionId, churn?.ModelVersion, offerModel);
        var mode = request.Mode == DecisionMode.Outbound ? "outbound" : "inbound";
        ProductTelemetry.Decided(mode, result.Actions.Count > 0, result.Arm);
        activity?.SetTag("decision.id", decisionId);
        activity?.SetTag("decision.actions", result.Actions.Count);
        LogDecided(logger, decisionId, Key, mode, result.Actions.Count, result.Arm);
        _unsaved++;
        await PersistAsync(now: false);
        return new DecisionResponse
        {
            DecisionId = decisionId,
            Result = result,
            Churn = churn?.Value ?? PopulationChurn,
            ChurnModelVersion = churn?.ModelVersion ?? "",
            OfferModelVersion = offerModel ?? "",
            DecidedAt = now,
        };
    }

    public async Task<OutcomeStatus> RecordOutcome(string decisionId, string offerId, Outcome outcome, double value, DateTime at)
    {
        var before = State.Decisions.Find(d => d.DecisionId == decisionId && d.OfferId == offerId);
        var succeededBefore = before is not null && (before.Has(Outcome.Clicked) || before.Has(Outcome.Converted));
        var (status, decision) = DecisionMemory.Record(State, decisionId, offerId, outcome, value, at);
        if (status != OutcomeStatus.Applied)
        {
            return status;
        }

        // Outcomes must count exactly once, even across a crash: written before the call returns.
        await UpdateSegmentsAsync(0);
        _unsaved++;
        await PersistAsync(now: true);
        if (decision?.CampaignId is { } campaignId)
        {
            await GrainFactory.GetGrain<ICampaignGrain>(campaignId).RecordOutcome(decision.Channel, outcome);
        }

        var succeeded = !succeededBefore && outcome is Outcome.Clicked or Outcome.Converted;
        results.Add("offer", decision?.OfferModelVersion, 0, 1, succeeded ? 1 : 0);
        results.Add("churn", decision?.ChurnModelVersion, 0, 1, succeeded ? 1 : 0);
        if (outcome == Outcome.Shown || succeeded)
        {
            await GrainFactory.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey).RecordResult(offerId, outcome == Outcome.Shown, succeeded);
        }

        return status;
    }

    public Task<ScoreEntry?> GetChurnScore()
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The customer's arm: the challenger for its stable share of customers, else the champion.
        if (scoring.For(ModelKind.Churn, Key) is not { } model)
        {
            return Task.FromResult<ScoreEntry?>(null);
        }

        // The cache is part of the state and is saved with the next write; losing it only costs a rescore.
        if (State.Churn is not { } cached || !cached.IsCurrent(State, model.Version, now))
        {
            var started = Stopwatch.GetTimestamp();
            State.Churn = new ScoreEntry(model.Score(State, now), model.Version, now, State.EventCount);
            ProductTelemetry.Scored("churn", started);
        }

        return Task.FromResult<ScoreEntry?>(State.Churn);
    }

    public async Task<bool> Forget()
    {
        var existed = customer.RecordExists || !State.IsEmpty;
        foreach (var alias in State.Aliases)
        {
            await GrainFactory.GetGrain<ICustomerGrain>(CustomerKeys.Anonymous(alias)).Forget();
        }

        _unsaved = 0;
        StopFlushTimer();
        if (!CustomerKeys.IsAnonymous(Key))
        {
            var shard = CustomerIndex.ShardOf(Key);
            await Task.WhenAll(State.Segments.Keys.Select(s => GrainFactory.GetGrain<ISegmentShardGrain>(ISegmentShardGrain.Key(s, shard)).Leave(Key)));
            await GrainFactory.GetGrain<ICustomerIndexGrain>(shard).Remove(Key);
            _listed = false;
        }

        if (customer.RecordExists)
        {
            await customer.ClearStateAsync();
        }
        else
        {
            customer.State = new CustomerState();
        }

        return existed;
    }

    public async Task EvaluateSegments(long minVersion)
    {
        if (await UpdateSegmentsAsync(minVersion))
        {
            _unsaved++;
            await PersistAsync(now: false);
        }
    }

    public async Task<bool> Matches(string rule)
    {
        var compiled = RuleLanguage.Compile(rule);
        if (State.IsEmpty || State.MergedInto is not null)
        {
            return false;
        }

        if (compiled.Fields.Contains("churn"))
        {
            await GetChurnScore();
        }

        return compiled.Matches(State, time.GetUtcNow().UtcDateTime);
    }

    public async Task<CampaignDecision> DecideCampaign(CampaignDefinition campaign, long segmentVersion)
    {
        if (State.MergedInto is not null || State.IsEmpty)
        {
            return new CampaignDecision(Key, CampaignSuppression.NotAMember, [], Repeat: false);
        }

        if (CampaignDecisions.Earlier(State, campaign.CampaignId) is { } earlier)
        {
            return new CampaignDecision(Key, earlier.Suppression, earlier.Deliveries, Repeat: true);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await UpdateSegmentsAsync(segmentVersion);
        var live = await offers.GetAsync(campaign.OfferIds);
        var candidates = live.Where(o => campaign.OfferIds.Contains(o.Offer.OfferId)).ToList();
        var churn = await GetChurnScore();
        var (scored, offerModel) = Score(candidates, now);
        var number = ++State.DecisionCount;
        var decisionId = $"c-{number:x}-{Guid.NewGuid():N}";
        var decision = CampaignDecisions.Decide(Key, State, campaign, scored, churn?.Value ?? PopulationChurn, policy.Value, decisionId, offerModel, now);
        if (decision.Deliveries.Count > 0)
        {
            CountDecision(decisionId, churn?.ModelVersion, offerModel);
        }

        // The campaign + customer mark must survive a crash before the campaign counts it: written now.
        _unsaved++;
        await PersistAsync(now: true);
        return decision;
    }

    public async Task<CustomerState?> Detach(string customerId)
    {
        if (State.MergedInto is { } owner && owner != customerId)
        {
            return null;
        }

        var known = State.IsEmpty || (State.MergedInto is not null && State.EventCount == 0) ? null : State;
        State.MergedInto = customerId;
        await WriteAsync();
        return known;
    }

    public async Task Release()
    {
        customer.State = new CustomerState { MergedInto = State.MergedInto };
        await WriteAsync();
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A stored customer was listed when it was first stored.
        _listed = customer.RecordExists;
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsaved > 0)
        {
            await WriteAsync();
        }
    }

    private async Task MergeAnonymousAsync(string anonymousId)
    {
        var visitor = GrainFactory.GetGrain<ICustomerGrain>(CustomerKeys.Anonymous(anonymousId));
        var known = await visitor.Detach(Key);
        if (known is null)
        {
            return;
        }

        CustomerEvents.Merge(State, known, anonymousId);
        // Save the merge before the visitor drops its copy, so a crash in between loses nothing.
        await WriteAsync();
        await visitor.Release();
    }

    private (List<ScoredOffer> Scored, string? ModelVersion) Score(IReadOnlyList<LiveOffer> live, DateTime now)
    {
        var started = Stopwatch.GetTimestamp();
        var acceptance = scoring.ScoreOffers(State, [.. live.Select(o => o.Offer)], now, Key);
        ProductTelemetry.Scored("offer", started);
        var scored = live.Select((o, i) => new ScoredOffer(o.Offer, acceptance?.Probabilities[i] ?? policy.Value.PriorAcceptance, o.Trials, o.Successes)).ToList();
        return (scored, acceptance?.Version);
    }

    // Per-arm evidence: which model versions scored this decision.
    private void CountDecision(string decisionId, string? churnModel, string? offerModel)
    {
        foreach (var record in State.Decisions.Where(d => d.DecisionId == decisionId))
        {
            record.ChurnModelVersion = churnModel;
        }

        results.Add("churn", churnModel, 1, 0, 0);
        results.Add("offer", offerModel, 1, 0, 0);
    }

    // Re-evaluates the segments (at registry version minVersion or later) and tells the shards of joins and leaves.
    private async Task<bool> UpdateSegmentsAsync(long minVersion)
    {
        if (CustomerKeys.IsAnonymous(Key))
        {
            return false;
        }

        var snapshot = await segments.GetAsync(minVersion);
        if (snapshot.Segments.Count == 0 && State.Segments.Count == 0)
        {
            return false;
        }

        if (snapshot.Segments.Any(s => RuleLanguage.Compile(s.Rule).Fields.Contains("churn")))
        {
            await GetChurnScore();
        }

        var changes = SegmentRules.Evaluate(State, snapshot, time.GetUtcNow().UtcDateTime);
        if (changes.Count == 0)
        {
            return false;
        }

        var shard = CustomerIndex.ShardOf(Key);
        await Task.WhenAll(changes.Select(c =>
        {
            var members = GrainFactory.GetGrain<ISegmentShardGrain>(ISegmentShardGrain.Key(c.Segment, shard));
            return c.Joined ? members.Join(Key) : members.Leave(Key);
        }));
        return true;
    }

    private bool IsRecent(CustomerEvent e) => Array.IndexOf(State.RecentEventIds, EventIdHash.Of(e.EventId)) >= 0;

    private static bool MustBeDurable(CustomerEvent e) => e.Type switch
    {
        CustomerEventType.Purchase or CustomerEventType.ConsentGranted or CustomerEventType.ConsentWithdrawn
            or CustomerEventType.Unsubscribed or CustomerEventType.SpamComplaint or CustomerEventType.Identify => true,
        CustomerEventType.MessageBounced => e.HardBounce,
        _ => false,
    };

    private async Task PersistAsync(bool now)
    {
        await ListAsync();
        if (now || _unsaved >= _persistence.WriteAfterEvents)
        {
            try
            {
                await WriteAsync();
            }
            catch
            {
                // Storage unreachable: the caller hears of it, and the change (kept in memory, and
                // deduplicated if the caller retries) is written once storage answers again.
                ArmFlush();
                throw;
            }
        }
        else
        {
            ArmFlush();
        }
    }

    private void ArmFlush()
    {
        _flush ??= new WriteBehind(this, _persistence.WriteAfter, FlushAsync);
        _flush.Arm();
    }

    private async Task FlushAsync()
    {
        if (_unsaved > 0)
        {
            await WriteAsync();
        }
    }

    private async Task WriteAsync()
    {
        await customer.WriteStateAsync();
        _unsaved = 0;
        StopFlushTimer();
    }

    // Known customers are listed in the sharded index from their first change (so a segment backfill,
    // preview or export right after an import sees them); a listed customer whose state was lost is empty.
    private async Task ListAsync()
    {
        if (_listed || CustomerKeys.IsAnonymous(Key))
        {
            return;
        }

        await GrainFactory.GetGrain<ICustomerIndexGrain>(CustomerIndex.ShardOf(Key)).Add(Key);
        _listed = true;
    }

    private void StopFlushTimer() => _flush?.Cancel();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Decision {DecisionId} for {CustomerId} ({Mode}): {Actions} actions, arm {Arm}")]
    private static partial void LogDecided(ILogger logger, string decisionId, string customerId, string mode, int actions, string arm);
}
