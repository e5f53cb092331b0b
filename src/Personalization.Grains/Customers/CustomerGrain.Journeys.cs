using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalization.Decisioning.Content;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Recommendations;
using Personalization.Decisioning.Segments;
using Personalization.Grains.Offers;
using Personalization.Grains.Schedules;

namespace Personalization.Grains.Customers;

/// <summary>
/// The customer's journeys: the grain only orchestrates <see cref="JourneySteps"/> (entry, exits and
/// wait-for-event on every event; due steps on a wake-up), logs each enrollment move as a
/// <see cref="JourneyAdvanced"/> change with the event that caused it, and schedules its wake-ups.
/// Wake-ups (a due step, or the next yearly-date entry of an active journey: a per-customer due time
/// rather than a daily sweep, so a day costs nothing for customers without the date and nobody is
/// activated just to be told it is not their birthday) go on the silo's sharded wake-up schedule
/// (<see cref="WakeSchedule"/>: batched writes, no storage row per customer), plus a one-shot grain timer
/// for precision while the grain is active. A due time earlier than the one already scheduled is made
/// durable before a change is committed; a later one after it, so a crash in between can make a wake-up
/// early (harmless: nothing is due yet, and the early wake schedules the later one) but never lose one.
/// A due time that is no longer wanted stays in the schedule and wakes the customer for nothing.
/// The same schedule carries the customer's next time-based segment change (<see cref="SegmentRules.NextChange"/>):
/// woken then, the segments are evaluated again, so "no purchase for 30 days" fills on day 31 untouched.
/// </summary>
public sealed partial class CustomerGrain
{
    // The Orleans reminder earlier builds registered per waiting customer: drained when it fires.
    private const string JourneyReminder = "journeys";

    /// <summary>A held wake-up (a paused journey) is retried this often.</summary>
    private static readonly TimeSpan WakeRetry = TimeSpan.FromMinutes(1);

    private IGrainTimer? _wakeTimer;

    // The earliest due time this activation put on the wake-up schedule and not yet consumed (null: none known).
    private DateTime? _scheduledDue;

    // The segment re-evaluation this activation put on the wake-up schedule and not yet consumed (null: none known).
    private DateTime? _segmentChangeDue;

    // The journey definitions this activation last saw: yearly-date entries are due times too.
    private JourneySnapshot? _journeySnapshot;

    /// <summary>A reminder an earlier build registered for a waiting customer: wakes it (which puts what is still due on the schedule) and drops the reminder.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != JourneyReminder)
        {
            return;
        }

        _scheduledDue = null;
        await WakeAsync();
        if (await this.GetReminder(JourneyReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task WakeJourneys(DateTime due)
    {
        // A segment whose rule reads time may have changed by itself: evaluated again (which schedules
        // its next change and enters the journeys its joins start) before the journeys' own steps.
        if (_segmentChangeDue is null || _segmentChangeDue <= due)
        {
            _segmentChangeDue = null;
            await UpdateSegmentsAsync(0);
        }

        // The schedule's entry for this due time is used up: what is due later is scheduled again.
        if (_scheduledDue is { } scheduled && scheduled <= due)
        {
            _scheduledDue = null;
        }

        await WakeAsync();
    }

    // Journeys run for known customers only (an anonymous visitor has no consent to send to).
    private async ValueTask<JourneySnapshot?> JourneysAsync()
    {
        if (CustomerKeys.IsAnonymous(Key) || State.MergedInto is not null)
        {
            return null;
        }

        var snapshot = await journeys.GetAsync();
        _journeySnapshot = snapshot;
        return snapshot.Definitions.Count == 0 && State.Journeys is null ? null : snapshot;
    }

    // The earliest wake-up wanted: a due enrollment step, or a yearly-date entry of an active journey.
    private DateTime? NextDue() => _journeySnapshot is { } snapshot && !CustomerKeys.IsAnonymous(Key) && State.MergedInto is null
        ? JourneySteps.NextDue(State, snapshot, time.GetUtcNow().UtcDateTime)
        : JourneySteps.NextDue(State);

    // Enters the journeys whose entry is one of these segment joins: logged like any journey move.
    private async Task EnterOnJoinsAsync(IReadOnlyList<(string Segment, long Generation)> joins)
    {
        if (joins.Count == 0 || await JourneysAsync() is not { } snapshot
            || !snapshot.Active().Any(j => j.EntryKind == JourneyEntryKind.SegmentJoin && joins.Any(x => x.Segment == j.EntrySegment)))
        {
            return;
        }

        await BeginChangeAsync(claim: false);
        var frames = new ArrayBufferWriter<byte>();
        var run = new JourneyRun();
        var sending = await SenderAsync(snapshot);
        Collect(run, frames, await PassAsync(sending, snapshot, (send, journeys) => JourneySteps.OnSegmentJoin(State, Key, joins, journeys, policy.Value, send, time.GetUtcNow().UtcDateTime, sending.Value)));
        await BeforeJourneyCommitAsync(run);
        await CommitUnclaimedAsync(frames);
        await AfterJourneyCommitAsync(run);
    }

    // Send steps decide among the journey's live offers, scored as decisions score them; an offer this
    // silo knows to have spent its budget (total cap) is no candidate.
    private async ValueTask<JourneySending> SenderAsync(JourneySnapshot snapshot)
    {
        var live = await offers.GetAsync([]);
        var named = snapshot.Definitions.SelectMany(j => j.OfferIds.Concat(j.Steps.SelectMany(s => s.OfferIds))).ToHashSet(StringComparer.Ordinal);
        var capped = live.Where(o => o.Offer.Caps.Total > 0 && named.Contains(o.Offer.OfferId)).ToDictionary(o => o.Offer.OfferId, o => o.Offer, StringComparer.Ordinal);
        // Content that shows the customer's recommended items: the catalog and item graph, fetched only then.
        var showsItems = live.Any(o => named.Contains(o.Offer.OfferId) && ContentTemplates.ReadsItems(o.Offer));
        var catalog = showsItems ? await products.GetAsync() : null;
        var graph = showsItems ? await graphs.GetAsync() : null;
        JourneySender send = (journey, step, enrollment, now) =>
        {
            var ids = step.OfferIds.Count > 0 ? step.OfferIds : journey.OfferIds;
            var spent = capped.Count > 0 && budgets.AnySpent ? budgets.KnownSpent(capped.Values) : null;
            var candidates = live.Where(o => ids.Contains(o.Offer.OfferId) && spent?.Contains(o.Offer.OfferId) != true).ToList();
            var (scored, offerModel) = Score(candidates, now);
            // Only a retention offer is weighed by churn: without one, no churn score is computed.
            var churn = candidates.Any(o => Decisioning.Decisions.DecisionEngine.IsRetention(o.Offer)) ? ChurnScore() : null;
            // Recommended with the interests as they are at this step (the event that moved it included).
            var items = catalog is not null && graph is not null && candidates.Any(o => ContentTemplates.ReadsItems(o.Offer))
                ? Recommender.ForDelivery(State.Interests, catalog, graph, now)
                : null;
            return JourneySends.Decide(Key, State, journey, step, enrollment, scored, churn?.Value ?? PopulationChurn, policy.Value, offerModel, now, items);
        };
        // Asked only when journeys of equal priority would enter together: their offers scored as a send would.
        JourneyValue value = journey =>
        {
            var ids = journey.OfferIds.Concat(journey.Steps.SelectMany(s => s.OfferIds)).ToHashSet(StringComparer.Ordinal);
            var (scored, _) = Score([.. live.Where(o => ids.Contains(o.Offer.OfferId))], time.GetUtcNow().UtcDateTime);
            return JourneySends.ExpectedValue(scored);
        };
        return new JourneySending(send, capped, value);
    }

    /// <summary>A journey pass's send step runner, the capped offers (by id) its journeys may send, and the tie-break value of a journey.</summary>
    private sealed record JourneySending(JourneySender Send, IReadOnlyDictionary<string, Decisioning.Offers.Offer> Capped, JourneyValue Value);

    // Runs one pure journey pass. Journey sends spend the same budgets (total caps) as decisions and
    // campaigns, and a journey's total entry limit is a budget counted the same way (one exact, written
    // increment per entry on the journey's counter grain): each delivery of a capped offer and each entry
    // into a limited journey takes its grant before anything is logged or queued. A refused grant (the
    // budget ran out on another silo meanwhile) undoes the pass — the state goes back to a copy taken
    // before it and the grants it took are returned — and runs it again, the spent offer or full journey
    // now known and left out, so the step decides among the others and the customer is counted not
    // entered (TOTAL_LIMIT). Passes touching no capped offer and no limited journey copy nothing.
    private async Task<JourneyRun> PassAsync(JourneySending sending, JourneySnapshot snapshot, Func<JourneySender, JourneySnapshot, JourneyRun> pass)
    {
        var limited = LimitedJourneys(snapshot);
        if (sending.Capped.Count == 0 && limited is null)
        {
            return pass(sending.Send, snapshot);
        }

        HashSet<string>? full = null;
        foreach (var (journeyId, total) in limited ?? [])
        {
            if (budgets.IsKnownSpent(OfferBudgets.JourneyKey(journeyId), total))
            {
                (full ??= new(StringComparer.Ordinal)).Add(journeyId);
            }
        }

        var copier = ServiceProvider.GetRequiredService<DeepCopier<CustomerState>>();
        var before = copier.Copy(State);
        while (true)
        {
            var run = pass(sending.Send, full is null ? snapshot : snapshot.WithFull(full));
            var granted = new List<string>();
            var refused = false;
            foreach (var entry in limited is null ? [] : run.Counts.Where(c => c.Counter == JourneyCounter.Entered))
            {
                if (limited!.TryGetValue(entry.JourneyId, out var total))
                {
                    if (!await budgets.TryTakeAsync(OfferBudgets.JourneyKey(entry.JourneyId), total))
                    {
                        (full ??= new(StringComparer.Ordinal)).Add(entry.JourneyId);
                        refused = true;
                        break;
                    }

                    granted.Add(OfferBudgets.JourneyKey(entry.JourneyId));
                }
            }

            foreach (var delivery in refused ? [] : run.Deliveries)
            {
                if (sending.Capped.TryGetValue(delivery.OfferId, out var offer))
                {
                    if (!await budgets.TryTakeAsync(offer))
                    {
                        refused = true;
                        break;
                    }

                    granted.Add(offer.OfferId);
                }
            }

            if (!refused)
            {
                return run;
            }

            foreach (var key in granted)
            {
                await budgets.GiveBackAsync(key);
            }

            customer.State.State = copier.Copy(before);
        }
    }

    // The active journeys with a total entry limit (id → limit), or null when none has one.
    private static Dictionary<string, long>? LimitedJourneys(JourneySnapshot snapshot)
    {
        Dictionary<string, long>? limited = null;
        foreach (var definition in snapshot.Definitions)
        {
            if (definition.MaxTotalEntries > 0)
            {
                limited = [];
                break;
            }
        }

        if (limited is null)
        {
            return null;
        }

        foreach (var journey in snapshot.Active().Where(j => j.MaxTotalEntries > 0))
        {
            limited[journey.JourneyId] = journey.MaxTotalEntries;
        }

        return limited.Count == 0 ? null : limited;
    }

    // Frames one pass's changes after the event that caused them and gathers its deliveries and counts.
    private void Collect(JourneyRun into, ArrayBufferWriter<byte> frames, JourneyRun pass)
    {
        foreach (var change in pass.Changes)
        {
            Append(frames, change);
        }

        into.Changes.AddRange(pass.Changes);
        into.Deliveries.AddRange(pass.Deliveries);
        into.Counts.AddRange(pass.Counts);
        into.Sums.AddRange(pass.Sums);
    }

    // Runs the steps that are due: the wake-up timer's and the schedule's callback (which calls again while sends are owed).
    private async Task WakeAsync()
    {
        await PayOwedDeliveriesAsync();
        var now = time.GetUtcNow().UtcDateTime;
        if (await JourneysAsync() is not { } snapshot || !JourneySteps.HasDue(State, snapshot, now))
        {
            await AfterJourneyCommitAsync(null, held: true);
            return;
        }

        await BeginChangeAsync(claim: false);
        var frames = new ArrayBufferWriter<byte>();
        var run = new JourneyRun();
        var sending = await SenderAsync(snapshot);
        Collect(run, frames, await PassAsync(sending, snapshot, (send, journeys) => JourneySteps.Wake(State, Key, journeys, policy.Value, send, now, sending.Value)));
        await BeforeJourneyCommitAsync(run);
        await CommitUnclaimedAsync(frames);
        await AfterJourneyCommitAsync(run, held: true);
    }

    // Before the log append: queue the sends (at least once; the delivery id is stable per enrollment and step, so
    // connectors dedupe a repeat after a crash), then count the run — it is applied in memory and stands from here,
    // made durable by this commit or, if that fails, by the snapshot the next answer writes first; counted after the
    // queue write, so a result never shows a send the queue does not have yet, unless that write failed — and
    // schedule an earlier due time first. Sends that could not be queued are owed: queued before anything is stored.
    private async Task BeforeJourneyCommitAsync(JourneyRun? run)
    {
        if (run is null)
        {
            return;
        }

        if (run.Changes.Count == 0)
        {
            CountJourneyRun(run);
            return;
        }

        _owedDeliveries.AddRange(run.Deliveries);
        try
        {
            try
            {
                await PayOwedDeliveriesAsync();
            }
            finally
            {
                CountJourneyRun(run);
            }

            if (NextDue() is { } due && (_scheduledDue is null || due < _scheduledDue))
            {
                await ScheduleAsync(due);
            }
        }
        catch
        {
            // Applied in memory but not logged: the next answer first makes it durable with a snapshot (which
            // queues the owed sends first).
            _broken = true;
            MarkDirty();
            throw;
        }
    }

    private void CountJourneyRun(JourneyRun run)
    {
        journeyCounts.Add(run.Counts);
        journeyCounts.Add(run.Sums);
    }

    // Queues the sends of runs applied in memory whose queue write failed. Every snapshot waits for this (a stored
    // state that says a step was sent must not outlive a send never queued): while the queue fails, nothing of
    // this customer is stored, and if the activation is lost the run's steps are run again from the stored state.
    private async Task PayOwedDeliveriesAsync()
    {
        while (_owedDeliveries.Count > 0)
        {
            var source = _owedDeliveries[0].DeliveryId[.._owedDeliveries[0].DeliveryId.IndexOf(':', StringComparison.Ordinal)];
            var batch = _owedDeliveries.Where(d => d.DeliveryId.StartsWith(source + ":", StringComparison.Ordinal)).ToList();
            await deliveries.EnqueueAsync($"journey:{source}", batch);
            _owedDeliveries.RemoveAll(batch.Contains);
        }
    }

    // After the log append: schedule a later due time, and arm the timer (the run was counted before the append).
    private async Task AfterJourneyCommitAsync(JourneyRun? run, bool held = false)
    {
        var next = NextDue();
        if (run is not null)
        {
            // An event that moved nothing may still have set a date trait a yearly-date journey waits for.
            if (run.Changes.Count == 0 && next == _scheduledDue)
            {
                return;
            }
        }

        // Nothing wanted: an entry already scheduled wakes the customer for nothing (cheaper than a delete).
        // Held (a paused journey): looked at again a minute later.
        if (next is { } due && (_scheduledDue is null || due > _scheduledDue))
        {
            await ScheduleAsync(held && due <= time.GetUtcNow().UtcDateTime ? time.GetUtcNow().UtcDateTime + WakeRetry : due);
        }

        ArmWakeTimer(held);
    }

    // The one re-evaluation a time-reading segment rule needs (the earliest change ahead), on the same
    // wake-up schedule; a later one waits for that wake, which schedules it then. After a reactivation
    // the first evaluation schedules again (a duplicate wakes for nothing).
    private async Task ScheduleSegmentChangeAsync(DateTime? change, DateTime now)
    {
        if (change is { } at && (_segmentChangeDue is null || at < _segmentChangeDue || _segmentChangeDue <= now))
        {
            await wakes.AddAsync(Key, at);
            _segmentChangeDue = at;
        }
    }

    private async Task ScheduleAsync(DateTime due)
    {
        await wakes.AddAsync(Key, due);
        _scheduledDue = due;
    }

    // A one-shot timer at the earliest due time; after a wake, what is still due is held (a paused
    // journey) and is retried a minute later rather than at once.
    private void ArmWakeTimer(bool held = false)
    {
        _wakeTimer?.Dispose();
        _wakeTimer = null;
        if (NextDue() is not { } due)
        {
            return;
        }

        var delay = due - time.GetUtcNow().UtcDateTime;
        delay = delay > TimeSpan.Zero ? delay : held ? WakeRetry : TimeSpan.Zero;
        if (delay <= TimeSpan.FromDays(1))
        {
            _wakeTimer = this.RegisterGrainTimer(_ => WakeAsync(), new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
        }
    }
}
