using Personalization.Contracts.Segments;
using Personalization.Decisioning.Segments;

namespace Personalization.Server.Segments;

/// <summary>
/// Samples every segment's member count once per <see cref="SegmentHistorySettings.Every"/> into the
/// <see cref="SegmentHistoryStore"/>. Every server samples; a period's samples land in one slot, so the
/// last one written stands and nothing grows with the number of servers.
/// </summary>
public sealed partial class SegmentCountSampler(IGrainFactory grains, SegmentHistoryStore store, SegmentHistorySettings settings, TimeProvider time, ILogger<SegmentCountSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSampleFailed(logger, e.Message);
            }
        }
    }

    /// <summary>Samples every segment's count now.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var segments = await grains.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey).List(null, int.MaxValue);
        foreach (var segment in segments)
        {
            var count = await grains.GetGrain<ISegmentGrain>(segment.Name).MemberCount();
            await store.WriteAsync(segment.Name, new CountSample(time.GetUtcNow(), count), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment member counts could not be sampled; next try in one period: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string reason);
}
