using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Diagnostics;
using Personalization.Contracts.Journeys;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Deliveries;
using Personalization.Decisioning.Journeys;

namespace Personalization.AzureStorage.Queues;

/// <summary>
/// Releases scheduled deliveries when they come due, in every silo (competing consumers on
/// <c>{prefix}-scheduled</c>). For each due message it asks each customer's grain once about that customer's
/// deliveries (<see cref="ICustomerGrain.CheckDeliveries"/>, at most <see cref="DeliveryReleaseOptions.Concurrency"/>
/// at a time), forwards the survivors to the channel queue in the connectors' format, schedules again those
/// held by quiet hours, deletes the message, and counts the drops in the campaign's or journey's results.
/// A message whose release time is more than Azure's 7-day limit away is hidden again, never released early.
/// Delivery is at least once: a crash after forwarding and before the delete releases the message again
/// after <see cref="DeliveryReleaseOptions.Lease"/> (delivery ids are stable, so connectors dedupe).
/// </summary>
public sealed partial class DeliveryReleaser(
    AzureDeliveryQueue queue,
    IGrainFactory grains,
    DeliveryReleaseOptions options,
    TimeProvider time,
    ILogger<DeliveryReleaser> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>Messages taken from the queue at once (the service's maximum).</summary>
    public const int Batch = 32;

    private readonly SemaphoreSlim _customers = new(options.Concurrency);
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeliveryReleaser), ServiceLifecycleStage.Active,
            _ =>
            {
                _stop = new CancellationTokenSource();
                _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
                return Task.CompletedTask;
            },
            async _ =>
            {
                if (_stop is not null && _loop is not null)
                {
                    await _stop.CancelAsync();
                    await _loop;
                }
            });

    /// <summary>Works through what is due on the scheduled queue now; the number of messages handled (0: nothing was due).</summary>
    public async Task<int> ReleaseDueAsync(CancellationToken cancellationToken)
    {
        var scheduled = await queue.ScheduledAsync();
        QueueMessage[] messages = (await scheduled.ReceiveMessagesAsync(Batch, options.Lease, cancellationToken)).Value;
        await Task.WhenAll(messages.Select(m => HandleAsync(scheduled, m, cancellationToken)));
        return messages.Length;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await ReleaseDueAsync(cancellationToken) == 0)
                {
                    await Task.Delay(options.PollInterval, time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogReceiveFailed(logger, ex);
                await Task.Delay(options.PollInterval, time, CancellationToken.None);
            }
        }
    }

    private async Task HandleAsync(QueueClient scheduled, QueueMessage message, CancellationToken cancellationToken)
    {
        var body = message.Body.ToString();
        if (AzureDeliveryQueue.Parse(body) is not { } due)
        {
            LogUnreadable(logger, message.MessageId);
            await scheduled.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            return;
        }

        try
        {
            var wait = queue.ReleaseAt(due.SendAt) - time.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero)
            {
                // Further out than Azure could hide it (7 days), or a clock a little ahead of ours: hidden again.
                await scheduled.UpdateMessageAsync(message.MessageId, message.PopReceipt, body, wait < AzureDeliveryQueue.MaxDelay ? wait : AzureDeliveryQueue.MaxDelay, cancellationToken);
                return;
            }

            // The owner first: a cancelled campaign or archived journey sends nothing more; a paused one holds
            // its due deliveries (hidden again, asked again later) until it is resumed or stopped for good.
            var owner = await OwnerAsync(due.CampaignId);
            if (owner == Owner.Paused)
            {
                await scheduled.UpdateMessageAsync(message.MessageId, message.PopReceipt, body, options.PausedRecheck, cancellationToken);
                ProductTelemetry.DeliveriesReleased("held_paused", due.Deliveries.Count);
                return;
            }

            var verdicts = owner == Owner.Stopped
                ? [.. due.Deliveries.Select(d => new DeliveryVerdict(d.DeliveryId, IsJourney(due.CampaignId) ? DeliveryDrop.JourneyArchived : DeliveryDrop.CampaignCancelled))]
                : (await Task.WhenAll(due.Deliveries.GroupBy(d => d.CustomerId).Select(CheckAsync))).SelectMany(v => v).ToList();
            var byId = due.Deliveries.ToDictionary(d => d.DeliveryId, StringComparer.Ordinal);
            var released = verdicts.Where(v => v.Released).Select(v => byId[v.DeliveryId]).ToList();
            var held = verdicts.Where(v => v.DeferTo is not null).Select(v => byId[v.DeliveryId] with { SendAt = v.DeferTo!.Value }).ToList();
            var drops = verdicts.Where(v => v.Drop != DeliveryDrop.None).GroupBy(v => v.Drop).ToDictionary(g => g.Key, g => (long)g.Count());
            if (released.Count > 0)
            {
                await queue.ForwardAsync(due.CampaignId, due.Channel, due.SendAt, released, cancellationToken);
            }

            if (held.Count > 0)
            {
                await queue.EnqueueAsync(due.CampaignId, held, cancellationToken);
            }

            await scheduled.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            ProductTelemetry.DeliveriesReleased("released", released.Count);
            ProductTelemetry.DeliveriesReleased("held", held.Count);
            foreach (var (reason, count) in drops)
            {
                ProductTelemetry.DeliveriesReleased(DeliveryVerdict.Label(reason), (int)count);
            }

            if (drops.Count > 0)
            {
                await CountDropsAsync(due, verdicts.Where(v => v.Drop != DeliveryDrop.None).ToList(), drops);
            }

            LogReleased(logger, due.CampaignId, released.Count, held.Count, verdicts.Count - released.Count - held.Count);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The message comes back when its lease ends and is released again (delivery ids are stable).
            LogReleaseFailed(logger, ex, due.CampaignId, message.MessageId);
        }
    }

    public void Dispose()
    {
        _stop?.Dispose();
        _customers.Dispose();
    }

    private async Task<List<DeliveryVerdict>> CheckAsync(IGrouping<string, CampaignDelivery> customer)
    {
        await _customers.WaitAsync();
        try
        {
            return await grains.GetGrain<ICustomerGrain>(customer.Key).CheckDeliveries([.. customer]);
        }
        finally
        {
            _customers.Release();
        }
    }

    // Drops are results (read models): a failure to count them is logged, the release stands.
    private async Task CountDropsAsync(ScheduledMessage due, List<DeliveryVerdict> dropped, Dictionary<DeliveryDrop, long> drops)
    {
        try
        {
            if (IsJourney(due.CampaignId))
            {
                var journeyId = due.CampaignId[JourneyPrefix.Length..];
                // A journey delivery id ends with its step (journey:customer:entry:step).
                var totals = dropped
                    .GroupBy(v => (Step: v.DeliveryId[(v.DeliveryId.LastIndexOf(':') + 1)..], v.Drop))
                    .Select(g => new JourneyTotal(new JourneyCount(journeyId, g.Key.Step, JourneyCounter.Dropped, g.Key.Drop.ToString()), g.Count()))
                    .ToList();
                await grains.GetGrain<IJourneyStatsGrain>(journeyId).Add(totals);
            }
            else
            {
                await grains.GetGrain<ICampaignGrain>(due.CampaignId).RecordDrops(drops);
            }
        }
        catch (Exception ex)
        {
            LogCountFailed(logger, ex, due.CampaignId);
        }
    }

    private const string JourneyPrefix = "journey:";

    private static bool IsJourney(string ownerId) => ownerId.StartsWith(JourneyPrefix, StringComparison.Ordinal);

    // Whether the campaign or journey that scheduled the deliveries still sends. An owner that cannot be found
    // (or cannot be asked) does not stop them: the customer checks still apply.
    private async Task<Owner> OwnerAsync(string ownerId)
    {
        if (IsJourney(ownerId))
        {
            var journey = await grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey).Get(ownerId[JourneyPrefix.Length..]);
            return journey.Journey?.Status switch
            {
                JourneyStatus.Paused => Owner.Paused,
                JourneyStatus.Archived => Owner.Stopped,
                _ => Owner.Sending,
            };
        }

        var campaign = await grains.GetGrain<ICampaignGrain>(ownerId).Get();
        return campaign.Campaign?.State switch
        {
            CampaignState.Paused => Owner.Paused,
            CampaignState.Cancelled => Owner.Stopped,
            _ => Owner.Sending,
        };
    }

    private enum Owner
    {
        Sending,
        Paused,
        Stopped,
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deliveries of {CampaignId} due: {Released} released, {Held} held for quiet hours, {Dropped} dropped")]
    private static partial void LogReleased(ILogger logger, string campaignId, int released, int held, int dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deliveries of {CampaignId} (message {MessageId}) not released; retried when the lease ends")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string campaignId, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled message {MessageId} is not a delivery message; deleted")]
    private static partial void LogUnreadable(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The scheduled delivery queue could not be read; trying again")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped deliveries of {CampaignId} not counted in its results")]
    private static partial void LogCountFailed(ILogger logger, Exception exception, string campaignId);
}
