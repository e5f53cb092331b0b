using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Personalization.Contracts.Diagnostics;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Decisions;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Persistence;
using Personalization.Contracts.Reports;
using Personalization.Contracts.Segments;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Measurement;
using Personalization.Decisioning.Recommendations;
using Personalization.Decisioning.Rules;
using Personalization.Decisioning.Segments;
using Personalization.Grains.Journeys;
using Personalization.Grains.Models;
using Personalization.Grains.Offers;
using Personalization.Grains.Segments;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;

namespace Personalization.Grains.Customers;

/// <summary>
/// One customer's live state; the domain rules live in <see cref="CustomerEvents"/>. Durability: a
/// change is appended to the silo's change log (<see cref="ICustomerLog"/>) before its answer, and the
/// state is snapshotted now and then; after a crash the next activation replays the log's records
/// after its snapshot (README: Persistence).
/// </summary>
public sealed partial class CustomerGrain(
    [PersistentState("customer", StorageNames.Grains)] IPersistentState<CustomerSnapshot> customer,
    ICustomerLog log,
    Serializer<CustomerChange> changes,
    SnapshotPacer snapshots,
    IOptions<CustomerPersistenceOptions> persistence,
    ScoringService scoring,
    IOptions<DecisionPolicy> policy,
    SegmentCache segments,
    OfferCache offers,
    OfferBudgets budgets,
    Products.ProductCache products,
    Recommendations.ItemGraphCache graphs,
    Recommendations.ItemSignals signals,
    ModelResultsCounter results,
    DecisionLogging decisionLog,
    IEventExport eventExport,
    JourneyCache journeys,
    JourneyCounters journeyCounts,
    Reports.KpiCounters kpis,
    Journeys.JourneyDeliveries deliveries,
    Schedules.WakeSchedule wakes,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain, IRemindable
{
    private readonly CustomerPersistenceOptions _persistence = persistence.Value;
    private bool _snapshotAsked;
    private bool _listed;
    private OfferScoreCache? _offerScores;

    // This activation's claim in the silo's log, the last change numbered under it, and whether the
    // stored snapshot names this log and claim (so changes may be appended).
    private long _claim;
    private long _seq;
    private bool _claimed;

    // In-memory changes the stored snapshot lacks; an acknowledged-to-be change whose append failed
    // (the next answer waits for a snapshot instead); the log segment held for the next snapshot.
    private bool _dirty;
    private bool _broken;
    private long? _pin;

    // Journey sends applied in memory whose queue write failed: queued before anything of this customer is stored.
    private readonly List<CampaignDelivery> _owedDeliveries = [];

    // Decisions made since the last snapshot: not in storage yet, so an outcome joined to one logs the
    // decision with it (an acknowledged outcome must replay onto its decision after a crash).
    private HashSet<DecisionKey>? _unsavedDecisions;

    private CustomerState State => customer.State.State;

    private bool Logging => log.Name is not null;

    private string Key => this.GetPrimaryKeyString();

    /// <summary>The churn rate of the telco population: the prior when no churn model is active.</summary>
    private const double PopulationChurn = 0.265;

    /// <summary>The open model kind that scales retention offers when active.</summary>
    private static readonly ModelKind ClvKind = new(RetentionWeight.ClvKind);

    public async Task<TrackResult> Track(List<CustomerEvent> events)
    {
        if (State.MergedInto is { } knownCustomer)
        {
            return new TrackResult(TrackStatus.Forward, knownCustomer, 0, 0);
        }

        await BeginChangeAsync(claim: events.Any(e => !IsRecent(e)));
        int applied = 0, duplicates = 0;
        var journeySnapshot = await JourneysAsync();
        var sender = journeySnapshot is null ? null : await SenderAsync(journeySnapshot);
        JourneyRun? journeyRun = null;
        var frames = new ArrayBufferWriter<byte>();
        var conversions = new List<CampaignConversion>();
        var joined = new List<(DecisionRecord Decision, Outcome Outcome, bool SucceededBefore)>();
        var kpiIncrements = new List<KpiIncrement>();
        var logged = new HashSet<DecisionKey>();
        var itemSignals = new List<ItemSignal>();
        var exported = eventExport.Enabled ? new List<CustomerEvent>(events.Count) : null;
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
            exported?.Add(e);
            LogUnsavedDecision(frames, e.DecisionId, logged);
            Append(frames, new EventApplied(e));
            itemSignals.AddRange(ItemStatistics.SignalsFor(State.Interests, e));
            var succeededBefore = Succeeded(e.DecisionId is { Length: > 0 } id ? DecisionMemory.Find(State, id, e.OfferId) : null);
            var after = CustomerChanges.Applied(State, e);
            conversions.AddRange(after.Conversions);
            if (after.Joined is { } join)
            {
                joined.Add((join.Decision, join.Outcome, succeededBefore));
            }

            if (after.Touch is { } touch)
            {
                kpiIncrements.AddRange(KpiFacts.ForTouch(touch, State.Segments.Keys));
            }

            if (e.Type == CustomerEventType.Purchase)
            {
                ProductTelemetry.Purchased(e.Amount);
                kpiIncrements.AddRange(KpiFacts.ForPurchase(State.Touches, e.OccurredAt, e.Amount, e.OfferId, policy.Value.Attribution, State.Segments.Keys));
            }

            if (journeySnapshot is not null)
            {
                journeyRun ??= new JourneyRun();
                Collect(journeyRun, frames, await PassAsync(sender!, journeySnapshot, (send, journeys) => JourneySteps.OnEvent(State, Key, e, journeys, policy.Value, send, time.GetUtcNow().UtcDateTime, sender!.Value)));
            }
        }

        if (applied > 0)
        {
            await ListAsync();
            await BeforeJourneyCommitAsync(journeyRun);
            await CommitAsync(frames);
            // Only what was applied and committed reaches the data lake (duplicates are not exported again).
            if (exported is not null)
            {
                eventExport.Applied(Key, exported, time.GetUtcNow().UtcDateTime);
            }

            _unsavedDecisions?.ExceptWith(logged);
            await AfterJourneyCommitAsync(journeyRun);
            await UpdateSegmentsAsync(0);
            foreach (var conversion in conversions)
            {
                await GrainFactory.GetGrain<ICampaignGrain>(conversion.CampaignId).RecordConversion(conversion);
                if (Responders.ListFor(conversion) is { } converted)
                {
                    await GrainFactory.GetGrain<IResponderListGrain>(converted).Add(Key);
                }
            }

            foreach (var (decision, outcome, succeededBefore) in joined)
            {
                await AfterOutcomeAsync(decision, outcome, succeededBefore, "connector");
                // A connector's outcome reaches the decision log like RecordOutcome's (the time it was applied).
                decisionLog.Outcome(Key, decision.DecisionId, decision.OfferId, outcome, outcome == Outcome.Converted ? decision.ConvertedValue : 0, time.GetUtcNow().UtcDateTime);
            }

            kpis.Add(kpiIncrements);

            if (itemSignals.Count > 0)
            {
                // Batched per silo: the shared statistics never hold up tracking; this customer's own interests changed above.
                signals.Add(itemSignals);
            }
        }

        return new TrackResult(applied > 0 ? TrackStatus.Applied : TrackStatus.Duplicate, Key, applied, duplicates);
    }

    public Task<CustomerState?> GetState() => Task.FromResult(State.IsEmpty ? null : State);

    public Task<CustomerInterests?> GetInterests() =>
        State.MergedInto is { } known ? GrainFactory.GetGrain<ICustomerGrain>(known).GetInterests() : Task.FromResult(State.Interests);

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
            (live, var unknown) = OnlyAsked(live, request.OfferIds);
            if (unknown.Count > 0)
            {
                return new DecisionResponse { UnknownOffers = unknown };
            }
        }

        using var activity = ProductTelemetry.Source.StartActivity("decide");
        var churn = ChurnScore();
        var (scored, offerModel) = Score(live, now, request.Context);
        if (policy.Value.ClvReference > 0 && scoring.Active(ClvKind) is not null)
        {
            // Retention offers weigh what keeping this customer is worth (RetentionWeight): its clv score, fresh.
            await GetKindScores();
        }

        var items = await ItemsAsync(request, now);
        var number = ++State.DecisionCount;
        var result = DecisionEngine.WithModelArm(
            await DecideWithinBudgetsAsync(scored, churn?.Value ?? PopulationChurn, request, number, now, items),
            scoring.IsChallenger(ModelKind.Churn, churn?.ModelVersion) || scoring.IsChallenger(ModelKind.Offer, offerModel));
        var decisionId = DecisionKey.NewId(number);
        DecisionMemory.Remember(State, decisionId, result, request.Mode, offerModel, now);
        var key = DecisionKey.Of(decisionId);
        CountDecision(key, churn?.ModelVersion, offerModel);
        // The features it saw go to the silo's decision log (queued, written in the background), not into the state.
        decisionLog.Decided(Key, decisionId, State, result, offerModel, churn?.ModelVersion, churn?.Value ?? PopulationChurn, now, request.Context);
        result = result with { Slates = null };
        // A decision answers from memory and touches no storage: it reaches storage with the next
        // snapshot, or with the first outcome joined to it (a crash before either forgets it).
        MarkDirty();
        if (result.Actions.Count > 0)
        {
            (_unsavedDecisions ??= []).Add(key);
        }
        var mode = request.Mode == DecisionMode.Outbound ? "outbound" : "inbound";
        ProductTelemetry.Decided(mode, result.Actions.Count > 0, result.Arm);
        activity?.SetTag("decision.id", decisionId);
        activity?.SetTag("decision.actions", result.Actions.Count);
        LogDecided(logger, decisionId, Key, mode, result.Actions.Count, result.Arm);
        await ListAsync();
        return new DecisionResponse
        {
            DecisionId = decisionId,
            Result = result,
            Churn = churn?.Value ?? PopulationChurn,
            ChurnModelVersion = churn?.ModelVersion ?? "",
            OfferModelVersion = offerModel ?? "",
            DecidedAt = now,
            Items = items,
        };
    }

    // The recommended products a campaign or journey message's content sees as items: only when one of the
    // candidates' templates reads them (the others cost nothing), from this customer's own interests.
    private async ValueTask<IReadOnlyList<PlacementItems>?> MessageItemsAsync(IEnumerable<Decisioning.Offers.Offer> candidates, DateTime now) =>
        candidates.Any(Decisioning.Content.ContentTemplates.ReadsItems)
            ? Recommender.ForDelivery(State.Interests, await products.GetAsync(), await graphs.GetAsync(), now)
            : null;

    // The live offers a request names, and the names that are not live (apart, so a decide naming none allocates no closure).
    private static (IReadOnlyList<LiveOffer> Asked, List<string> Unknown) OnlyAsked(IReadOnlyList<LiveOffer> live, IReadOnlyList<string> asked) =>
        ([.. live.Where(o => asked.Contains(o.Offer.OfferId))], [.. asked.Where(id => !live.Any(o => o.Offer.OfferId == id))]);

    // The recommended items per placement when the request asks for some: this customer's own interests (fresh),
    // the silo's cached catalog and item graph, and the same pure recommender RecommendService uses.
    private async ValueTask<IReadOnlyList<PlacementItems>> ItemsAsync(DecisionRequest request, DateTime now)
    {
        if (request.ItemCount <= 0)
        {
            return [];
        }

        var context = request.Context ?? PlacementContext.None;
        IReadOnlyList<string> placements = request.Placements is { Count: > 0 } asked ? asked : [context.Placement];
        return Recommender.ForPlacements(placements, request.ItemQuery(), State.Interests, await products.GetAsync(), await graphs.GetAsync(), now);
    }

    public async Task<OutcomeStatus> RecordOutcome(string decisionId, string offerId, Outcome outcome, double value, DateTime at)
    {
        var key = DecisionKey.Of(decisionId);
        var before = State.Decisions.Find(d => d.Is(key) && d.OfferId == offerId);
        var succeededBefore = Succeeded(before);
        await BeginChangeAsync(claim: before is not null && !before.Has(outcome));
        var frames = new ArrayBufferWriter<byte>();
        var logged = new HashSet<DecisionKey>();
        if (before is not null)
        {
            LogUnsavedDecision(frames, decisionId, logged);
        }

        var (status, decision) = DecisionMemory.Record(State, decisionId, offerId, outcome, value, at);
        if (status != OutcomeStatus.Applied)
        {
            return status;
        }

        // Outcomes must count exactly once, even across a crash: logged before the call returns.
        Append(frames, new OutcomeRecorded(decisionId, offerId, outcome, value, at));
        await CommitAsync(frames);
        _unsavedDecisions?.ExceptWith(logged);
        decisionLog.Outcome(Key, decisionId, offerId, outcome, value, at);

        // Segment rows take the memberships at the touch, before the outcome moves them.
        var memberships = State.Segments.Keys.ToList();

        await UpdateSegmentsAsync(0);
        await AfterOutcomeAsync(decision!, outcome, succeededBefore, "record_outcome");
        if (Decisioning.Measurement.Touches.FromOutcome(decision!, outcome, at) is { } touch)
        {
            kpis.Add(KpiFacts.ForTouch(touch, memberships));
        }

        return status;
    }

    // Whether an action had succeeded (clicked or converted) before an outcome: model and offer results count a success once.
    private static bool Succeeded(DecisionRecord? decision) => decision is not null && (decision.Has(Outcome.Clicked) || decision.Has(Outcome.Converted));

    // A decision made since the last snapshot is logged before the first outcome joined to it
    // (RecordOutcome, or a connector's message event naming it), so the outcome replays onto it.
    // The keys logged go in logged: each once, and out of the unsaved set once committed.
    private void LogUnsavedDecision(ArrayBufferWriter<byte> frames, string? decisionId, HashSet<DecisionKey> logged)
    {
        if (string.IsNullOrEmpty(decisionId) || _unsavedDecisions is null || !_unsavedDecisions.Contains(DecisionKey.Of(decisionId)) || !logged.Add(DecisionKey.Of(decisionId)))
        {
            return;
        }

        var records = RecordsOf(decisionId);
        if (records.Count > 0)
        {
            Append(frames, new DecisionMade(records, State.DecisionCount, Mark: null, records[0].DecidedAt));
        }
    }

    // What an outcome joined to a decision moves beyond the customer: the campaign's counters, the
    // models' and the offer's results (RecordOutcome and connector events alike).
    private async Task AfterOutcomeAsync(DecisionRecord decision, Outcome outcome, bool succeededBefore, string source)
    {
        ProductTelemetry.OutcomeJoined(outcome.ToString().ToLowerInvariant(), source);
        if (decision.CampaignId is { } campaignId)
        {
            await GrainFactory.GetGrain<ICampaignGrain>(campaignId).RecordOutcome(decision.Channel, outcome);
        }

        if (Responders.ListFor(decision, outcome) is { } list)
        {
            await GrainFactory.GetGrain<IResponderListGrain>(list).Add(Key);
        }

        var succeeded = !succeededBefore && outcome is Outcome.Clicked or Outcome.Converted;
        results.Add("offer", decision.OfferModelVersion, 0, 1, succeeded ? 1 : 0);
        results.Add("churn", decision.ChurnModelVersion, 0, 1, succeeded ? 1 : 0);
        if (outcome == Outcome.Shown || succeeded)
        {
            await GrainFactory.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey).RecordResult(decision.OfferId, outcome == Outcome.Shown, succeeded);
        }
    }

    public Task<KindScore[]> GetKindScores()
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (PersonalizationConsent.IsWithdrawn(State))
        {
            return Task.FromResult(State.KindScores = []);
        }

        State.KindScores = ScoreCache.Refresh(State, State.KindScores, [.. scoring.ActiveKinds.Where(k => k.IsPerCustomer && k != ModelKind.Churn).Select(k => scoring.For(k, Key)!)], now);
        return Task.FromResult(State.KindScores);
    }

    // Whether a rule reads the cached score of an active kind (clv, purchase_propensity, ...).
    private bool NamesAKind(IEnumerable<string> fields) =>
        fields.Any(f => scoring.ActiveKinds.Any(k => k.IsPerCustomer && k != ModelKind.Churn && KindScore.Names(k.Name, f)));

    public Task<ScoreEntry?> GetChurnScore() => Task.FromResult(ChurnScore());

    private ScoreEntry? ChurnScore()
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The customer's arm: the challenger for its stable share of customers, else the champion. Without
        // personalization consent there is no score: decisions use the population's churn rate.
        if (PersonalizationConsent.IsWithdrawn(State) || scoring.For(ModelKind.Churn, Key) is not { } model)
        {
            return null;
        }

        // The cache is part of the state and is saved with the next write; losing it only costs a rescore.
        if (State.Churn is not { } cached || !cached.IsCurrent(State, model.Version, now))
        {
            var started = Stopwatch.GetTimestamp();
            State.Churn = new ScoreEntry(model.Score(State, now), model.Version, now, State.EventCount);
            ProductTelemetry.Scored("churn", started);
        }

        return State.Churn;
    }

    public async Task<bool> Forget()
    {
        var existed = customer.RecordExists || !State.IsEmpty;
        foreach (var alias in State.Aliases)
        {
            await GrainFactory.GetGrain<ICustomerGrain>(CustomerKeys.Anonymous(alias)).Forget();
        }

        // Off every responder list a campaign or journey message put it on (anonymous visitors too).
        await Task.WhenAll(Responders.Possible(State).Select(l => GrainFactory.GetGrain<IResponderListGrain>(l).Remove(Key)));
        if (!CustomerKeys.IsAnonymous(Key))
        {
            var shard = CustomerIndex.ShardOf(Key);
            await Task.WhenAll(State.Segments.Keys.Select(s => GrainFactory.GetGrain<ISegmentShardGrain>(ISegmentShardGrain.Key(s, shard)).Leave(Key)));
            await GrainFactory.GetGrain<ICustomerIndexGrain>(shard).Remove(Key);
            _listed = false;
        }

        // An erased customer waits for nothing: its wake-ups go before its state does, and its journeys
        // count it as ended. Its scheduled deliveries are dropped when they come due: the empty grain answers "erased".
        journeyCounts.Add(Erasure.JourneyCounts(State));
        _owedDeliveries.Clear();
        _wakeTimer?.Dispose();
        _wakeTimer = null;
        // A due time on the wake-up schedule wakes the erased customer for nothing.
        _scheduledDue = null;
        if (customer.RecordExists)
        {
            await customer.ClearStateAsync();
        }

        // Its logged decisions and outcomes (the features they saw) go too: erasure reaches the decision log.
        // Its events not yet exported are not written (files already written are not rewritten: README, Event export).
        eventExport.Erased(Key, time.GetUtcNow().UtcDateTime);
        if (existed)
        {
            await decisionLog.Log.EraseAsync(new HashSet<string>(StringComparer.Ordinal) { Key }, CancellationToken.None);
        }

        // Records still in a log are under a claim no snapshot names any more: never replayed.
        customer.State = new CustomerSnapshot();
        _claimed = _dirty = _broken = false;
        _unsavedDecisions = null;
        ReleasePin();
        return existed;
    }

    public async Task<bool> EraseIfExpired()
    {
        if (!Expired())
        {
            return false;
        }

        await Forget();
        LogExpired(logger, Key);
        return true;
    }

    private bool Expired() =>
        Retention.IsExpired(State, CustomerKeys.IsAnonymous(Key), time.GetUtcNow().UtcDateTime, retention.Value.InactiveCustomerMonths, retention.Value.AnonymousVisitorDays);

    public async Task EvaluateSegments(long minVersion)
    {
        if (await UpdateSegmentsAsync(minVersion))
        {
            MarkDirty();
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

        if (NamesAKind(compiled.Fields))
        {
            await GetKindScores();
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
            return CampaignDecision.Of(Key, earlier, repeat: true);
        }

        await BeginChangeAsync(claim: true);
        var now = time.GetUtcNow().UtcDateTime;
        var joinedOrLeft = await UpdateSegmentsAsync(segmentVersion);
        // Held for the campaign's winner: nothing decided or kept (the release walk asks again).
        if (CampaignDecisions.Holds(Key, State, campaign, policy.Value))
        {
            if (joinedOrLeft)
            {
                MarkDirty();
            }

            return CampaignDecisions.HeldAnswer(Key);
        }

        var live = await offers.GetAsync(campaign.OfferIds);
        var candidates = live.Where(o => campaign.OfferIds.Contains(o.Offer.OfferId)).ToList();
        // A campaign decision is recorded as it is made, so capped offers take their grant first and
        // a spent one is no candidate; grants of offers the decision did not send go back.
        var granted = await TakeBudgetsAsync(candidates.Select(o => o.Offer));
        candidates = [.. candidates.Where(o => o.Offer.Caps.Total == 0 || granted.ContainsKey(o.Offer.OfferId))];
        var churn = await GetChurnScore();
        var (scored, offerModel) = Score(candidates, now);
        var number = ++State.DecisionCount;
        var decisionId = $"c-{number:x}-{Guid.NewGuid():N}";
        var items = await MessageItemsAsync(candidates.Select(o => o.Offer), now);
        // A fan-out decision reaches the decision log like an inbound one, with its slate and propensities (built only when the log is on).
        Action<DecisionResult>? logged = decisionLog.Enabled
            ? result => decisionLog.Decided(Key, decisionId, State, result, offerModel, churn?.ModelVersion, churn?.Value ?? PopulationChurn, now, context: null)
            : null;
        var decision = CampaignDecisions.Decide(Key, State, campaign, scored, churn?.Value ?? PopulationChurn, policy.Value, decisionId, offerModel, now, items, logged);
        foreach (var (offerId, offer) in granted.Where(g => !decision.Deliveries.Any(d => d.OfferId == g.Key)))
        {
            await budgets.GiveBackAsync(offer);
        }
        if (decision.Deliveries.Count > 0)
        {
            var key = DecisionKey.Of(decisionId);
        CountDecision(key, churn?.ModelVersion, offerModel);
        }

        // The campaign + customer mark must survive a crash before the campaign counts it: logged now.
        var frames = new ArrayBufferWriter<byte>();
        Append(frames, new DecisionMade(RecordsOf(decisionId), State.DecisionCount, CampaignDecisions.Earlier(State, campaign.CampaignId), now));
        await CommitAsync(frames);
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
        await SaveAsync(closing: false);
        return known;
    }

    public async Task Release()
    {
        customer.State.State = new CustomerState { MergedInto = State.MergedInto };
        await SaveAsync(closing: false);
    }

    public async Task ReleaseLog(string logName)
    {
        // Activation already took this customer's changes over from any earlier log; a snapshot that
        // still names the log (its take-over write failed) is written now, or the sweep retries.
        if (customer.State.Log == logName)
        {
            await SaveAsync(closing: false);
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A stored customer was listed when it was first stored.
        _listed = customer.RecordExists;
        // A state stored in an older layout carries records of channels never used: drop them in memory.
        State.Compact();
        await RecoverAsync();

        // A visitor is not in the customer index the sweep walks: an expired one is erased when it comes back.
        if (CustomerKeys.IsAnonymous(Key) && Expired())
        {
            await Forget();
        }

        // A waiting enrollment's due time is on the wake-up schedule already; this activation adds the precise timer.
        await JourneysAsync();
        ArmWakeTimer();
    }

    private async Task RecoverAsync()
    {
        if (customer.State.Log is not { } previous || !Logging)
        {
            return;
        }

        // The last activation ended without a closing snapshot (a crash, or storage down at the time):
        // its changes after the snapshot are in that log. Replay them, then take the customer over.
        var records = await log.ReadAsync(previous, Key, customer.State.Claim, customer.State.Seq);
        foreach (var record in records)
        {
            CustomerChanges.Replay(State, changes.Deserialize(record.Payload) ?? throw new InvalidDataException($"change {record.Seq} of {Key} in {previous} is empty."));
        }

        _claim = NewClaim();
        _seq = 0;
        _claimed = true;
        await SaveAsync(closing: false);
        LogRecovered(logger, Key, records.Count, previous);
        if (records.Count > 0)
        {
            await UpdateSegmentsAsync(0);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The closing snapshot is the whole customer: the next activation reads no log.
        snapshots.Withdraw(Key);
        if (_dirty || _claimed || _broken)
        {
            await snapshots.EnterAsync();
            try
            {
                await SaveAsync(closing: true);
            }
            finally
            {
                snapshots.Exit();
            }
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
        await SaveAsync(closing: false);
        await visitor.Release();
    }

    // One grant from each capped offer's budget that is not known to be spent; the offers granted, by id.
    private async Task<Dictionary<string, Decisioning.Offers.Offer>> TakeBudgetsAsync(IEnumerable<Decisioning.Offers.Offer> candidates)
    {
        var granted = new Dictionary<string, Decisioning.Offers.Offer>(StringComparer.Ordinal);
        var capped = candidates.Where(o => o.Caps.Total > 0).ToList();
        var spent = budgets.KnownSpent(capped);
        foreach (var offer in capped.Where(o => spent?.Contains(o.OfferId) != true))
        {
            if (await budgets.TryTakeAsync(offer))
            {
                granted[offer.OfferId] = offer;
            }
        }

        return granted;
    }

    // Offers with a total cap take a grant from their budget grain once chosen; a spent one is left out
    // and the decision made again without it (grants taken for offers that then drop out go back).
    // Offers without a total cap cost nothing here.
    private async ValueTask<DecisionResult> DecideWithinBudgetsAsync(List<ScoredOffer> scored, double churn, DecisionRequest request, int number, DateTime now, IReadOnlyList<PlacementItems> items)
    {
        var spent = budgets.AnySpent ? budgets.KnownSpent(scored.Select(o => o.Offer)) : null;
        Dictionary<string, Decisioning.Offers.Offer>? granted = null;
        while (true)
        {
            var result = DecisionEngine.Decide(Key, State, scored, churn, request, policy.Value, number, now, spent, items, withSlates: decisionLog.Enabled);
            var refused = false;
            for (var a = 0; a < result.Actions.Count; a++)
            {
                var action = result.Actions[a];
                if (action.Offer.Caps.Total > 0 && granted?.ContainsKey(action.Offer.OfferId) != true)
                {
                    if (await budgets.TryTakeAsync(action.Offer))
                    {
                        (granted ??= new(StringComparer.Ordinal))[action.Offer.OfferId] = action.Offer;
                    }
                    else
                    {
                        (spent ??= new(StringComparer.Ordinal)).Add(action.Offer.OfferId);
                        refused = true;
                    }
                }
            }

            if (refused)
            {
                continue;
            }

            if (granted is not null)
            {
                await GiveBackUnusedAsync(granted, result);
            }

            return result;
        }
    }

    // The grants taken for offers the final decision does not use go back to their budgets.
    private async Task GiveBackUnusedAsync(Dictionary<string, Decisioning.Offers.Offer> granted, DecisionResult result)
    {
        foreach (var unused in granted.Values.Where(o => !result.Actions.Any(a => a.Offer.OfferId == o.OfferId)))
        {
            await budgets.GiveBackAsync(unused);
        }
    }

    private (List<ScoredOffer> Scored, string? ModelVersion) Score(IReadOnlyList<LiveOffer> live, DateTime now, PlacementContext? context = null)
    {
        var scored = new List<ScoredOffer>(live.Count);
        // Without personalization consent every offer gets the population prior: nothing of the profile is scored.
        if (PersonalizationConsent.IsWithdrawn(State) || scoring.For(ModelKind.Offer, Key) is not { } model)
        {
            scored.AddRange(live.Select(o => new ScoredOffer(o.Offer, policy.Value.PriorAcceptance, o.Trials, o.Successes)));
            return (scored, null);
        }

        if (context is not null && model.ReadsContext)
        {
            // A model reading the request (context_device, context_local_hour…) answers per request: no cache.
            var started = Stopwatch.GetTimestamp();
            var fresh = scoring.ScoreOffers(State, [.. live.Select(o => o.Offer)], now, Key, context);
            ProductTelemetry.Scored("offer", started);
            scored.AddRange(live.Select((o, i) => new ScoredOffer(o.Offer, fresh?.Probabilities[i] ?? policy.Value.PriorAcceptance, o.Trials, o.Successes)));
            return (scored, fresh?.Version ?? model.Version);
        }

        // Scores stand until the state or an offer changes enough (the churn score's terms): a
        // customer asked again on the next page is not scored again.
        var offerList = new Decisioning.Offers.Offer[live.Count];
        for (var i = 0; i < offerList.Length; i++)
        {
            offerList[i] = live[i].Offer;
        }

        var scores = new float[offerList.Length];
        var missing = (_offerScores ??= new OfferScoreCache()).Lookup(State, model.Version, now, offerList, scores);
        if (missing.Count > 0)
        {
            var started = Stopwatch.GetTimestamp();
            var toScore = new Decisioning.Offers.Offer[missing.Count];
            for (var j = 0; j < toScore.Length; j++)
            {
                toScore[j] = offerList[missing[j]];
            }

            var fresh = scoring.ScoreOffers(State, toScore, now, Key);
            ProductTelemetry.Scored("offer", started);
            for (var j = 0; j < missing.Count; j++)
            {
                scores[missing[j]] = fresh?.Probabilities[j] ?? (float)policy.Value.PriorAcceptance;
                if (fresh?.Version == model.Version)
                {
                    // Not when a model was swapped in between: the next decision scores again.
                    _offerScores.Store(offerList[missing[j]], scores[missing[j]]);
                }
            }
        }

        for (var i = 0; i < live.Count; i++)
        {
            scored.Add(new ScoredOffer(live[i].Offer, scores[i], live[i].Trials, live[i].Successes));
        }

        return (scored, model.Version);
    }

    // Per-arm evidence: which model versions scored this decision.
    private void CountDecision(in DecisionKey key, string? churnModel, string? offerModel)
    {
        foreach (var record in State.Decisions)
        {
            if (record.Is(key))
            {
                record.ChurnModelVersion = churnModel;
            }
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

        if (snapshot.Segments.Any(s => NamesAKind(RuleLanguage.Compile(s.Rule).Fields)))
        {
            await GetKindScores();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var changes = SegmentRules.Evaluate(State, snapshot, now);
        await ScheduleSegmentChangeAsync(SegmentRules.NextChange(State, snapshot, now), now);
        if (changes.Count == 0)
        {
            return false;
        }

        // Journeys entered by these joins are logged before the shards hear of them.
        await EnterOnJoinsAsync([.. changes.Where(c => c.Joined).Select(c => (c.Segment, c.Generation))]);
        var shard = CustomerIndex.ShardOf(Key);
        await Task.WhenAll(changes.Select(c =>
        {
            var members = GrainFactory.GetGrain<ISegmentShardGrain>(ISegmentShardGrain.Key(c.Segment, shard));
            return c.Joined ? members.Join(Key) : members.Leave(Key);
        }));
        return true;
    }

    private bool IsRecent(CustomerEvent e) => Array.IndexOf(State.RecentEventIds, EventIdHash.Of(e.EventId)) >= 0;

    private List<Decisioning.Decisions.DecisionRecord> RecordsOf(string decisionId)
    {
        var key = DecisionKey.Of(decisionId);
        return State.Decisions.FindAll(d => d.Is(key));
    }

    private static long NewClaim() => Random.Shared.NextInt64(1, long.MaxValue);

    // Before changes whose answer waits for durability: push back when the log is behind (nothing
    // changed yet), make an earlier failed append's change durable by a snapshot, and claim this
    // silo's log in the stored snapshot before the first change is appended to it.
    private async Task BeginChangeAsync(bool claim)
    {
        if (!Logging)
        {
            return;
        }

        if (!log.HasRoom)
        {
            throw new StorageBusyException();
        }

        if (_broken)
        {
            await SaveAsync(closing: false);
        }

        if (claim && !_claimed)
        {
            _claim = NewClaim();
            _seq = 0;
            _claimed = true;
            try
            {
                await SaveAsync(closing: false);
            }
            catch
            {
                _claimed = false;
                throw;
            }
        }
    }

    // Numbers a change and frames it for the log.
    private void Append(ArrayBufferWriter<byte> frames, CustomerChange change)
    {
        _seq++;
        if (Logging)
        {
            LogFrames.Write(frames, Key, _claim, _seq, changes.SerializeToArray(change));
        }
    }

    // Waits until the framed changes are durable; until a snapshot covers them, the log keeps them.
    private async Task CommitAsync(ArrayBufferWriter<byte> frames)
    {
        MarkDirty();
        if (!Logging || frames.WrittenCount == 0)
        {
            return;
        }

        _pin ??= log.Pin();
        try
        {
            await log.AppendAsync(frames.WrittenMemory);
        }
        catch
        {
            // The change is applied in memory; a retry finds it a duplicate, so the next answer
            // first makes it durable with a snapshot (BeginChangeAsync).
            _broken = true;
            throw;
        }
    }

    // A change made before this activation claimed the log (a wake-up of a collected customer: typically its
    // only change before it is collected again) is made durable by one snapshot write that holds it, instead
    // of a claim write, an append and a closing snapshot. A claimed activation appends as usual.
    private async Task CommitUnclaimedAsync(ArrayBufferWriter<byte> frames)
    {
        if (!Logging || _claimed || frames.WrittenCount == 0)
        {
            await CommitAsync(frames);
            return;
        }

        try
        {
            await SaveAsync(closing: false);
        }
        catch
        {
            // Applied in memory but not stored: the next answer first makes it durable with a snapshot.
            _broken = true;
            MarkDirty();
            throw;
        }
    }

    private void MarkDirty()
    {
        _dirty = true;
        if (!_snapshotAsked)
        {
            // Up to a quarter later at random: customers changed together (an import, a campaign) spread
            // their snapshots instead of writing all at once. The silo's pacer holds the due time.
            _snapshotAsked = true;
            snapshots.RequestAfter(Key, _persistence.SnapshotAfter * (1 + (Random.Shared.NextDouble() / 4)));
        }
    }

    // Called by the silo's pacer when the snapshot is due and the store has room; the customer kept
    // answering meanwhile. A failure leaves the changes in memory and in the log; the pacer calls again.
    public async Task Snapshot()
    {
        _snapshotAsked = false;
        if (!_dirty && !_broken)
        {
            return;
        }

        try
        {
            await SaveAsync(closing: false);
        }
        catch
        {
            _snapshotAsked = true; // the pacer asks again
            throw;
        }
    }

    // Writes the whole state. Open: names this activation's log and claim (later changes are there).
    // Closing (deactivation): names no log, so the next activation reads none.
    private async Task SaveAsync(bool closing)
    {
        await PayOwedDeliveriesAsync();
        var snapshot = customer.State;
        snapshot.Log = closing || !_claimed ? null : log.Name;
        snapshot.Claim = _claim;
        snapshot.Seq = _seq;
        await customer.WriteStateAsync();
        _dirty = false;
        _broken = false;
        _claimed &= !closing;
        _unsavedDecisions = null;
        ReleasePin();
    }

    private void ReleasePin()
    {
        if (_pin is { } pin)
        {
            log.Unpin(pin);
            _pin = null;
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {CustomerId} took over from change log {Log}: {Changes} changes replayed")]
    private static partial void LogRecovered(ILogger logger, string customerId, int changes, string log);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {CustomerId} erased: inactive past the retention setting")]
    private static partial void LogExpired(ILogger logger, string customerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Decision {DecisionId} for {CustomerId} ({Mode}): {Actions} actions, arm {Arm}")]
    private static partial void LogDecided(ILogger logger, string decisionId, string customerId, string mode, int actions, string arm);
}
