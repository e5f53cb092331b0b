using System.Globalization;
using System.Threading.Channels;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Learning;

namespace Personalization.AzureStorage.Logs;

/// <summary>
/// The decision log on Azure append blobs: one folder per UTC day (<c>yyyy-MM-dd/</c>), one append
/// blob per silo segment in it. Decisions and outcomes queue in memory and are appended once per
/// <see cref="DecisionLogOptions.FlushInterval"/> as one block (<see cref="DecisionLogCodec"/>), so a
/// decision's answer never waits for storage; a silo that crashes loses at most the last interval's
/// entries (as it loses decisions not yet snapshotted). Erasure rewrites each blob that mentions the
/// customer, conditional on its ETag; the writer rolls to a new segment when its blob was rewritten.
/// Day folders older than <see cref="DecisionLogOptions.RetentionDays"/> are deleted.
/// </summary>
public sealed partial class AppendBlobDecisionLog : IDecisionLog, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    // Azure refuses appends past 50,000 blocks in one blob: roll well before.
    private const int MaxAppendsPerSegment = 45_000;
    private const int MaxQueued = 500_000;

    private readonly BlobContainerClient _container;
    private readonly DecisionLogOptions _options;
    private readonly ILocalSiloDetails _silo;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private AppendBlobClient? _current;
    private DateOnly _day;
    private int _segment;
    private int _appends;
    private long _decisions;
    private long _outcomes;
    private long _bytes;

    public AppendBlobDecisionLog(BlobServiceClient service, DecisionLogOptions options, ILocalSiloDetails silo, TimeProvider time, ILogger<AppendBlobDecisionLog> logger)
    {
        _container = service.GetBlobContainerClient(options.Container ?? throw new ArgumentException("the decision log's container is not set.", nameof(options)));
        _options = options;
        _silo = silo;
        _time = time;
        _logger = logger;
    }

    public (long Decisions, long Outcomes, long Bytes) Written => (Interlocked.Read(ref _decisions), Interlocked.Read(ref _outcomes), Interlocked.Read(ref _bytes));

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AppendBlobDecisionLog), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    public void Append(LoggedDecision decision) => _queue.Writer.TryWrite(decision);

    public void Append(LoggedOutcome outcome) => _queue.Writer.TryWrite(outcome);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var batch = new List<object>();
            while (_queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            await WriteAsync(batch, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async Task<DecisionLogContent> ReadAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var decisions = new List<LoggedDecision>();
        var outcomes = new List<LoggedOutcome>();
        for (var day = DateOnly.FromDateTime(from); day <= DateOnly.FromDateTime(to); day = day.AddDays(1))
        {
            await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, Folder(day), cancellationToken))
            {
                var content = DecisionLogCodec.Decode((await _container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken)).Value.Content.ToMemory());
                decisions.AddRange(content.Decisions);
                outcomes.AddRange(content.Outcomes);
            }
        }

        return new DecisionLogContent(decisions, outcomes);
    }

    public async Task<int> EraseAsync(IReadOnlySet<string> customerIds, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var erased = 0;
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            var client = _container.GetBlobClient(blob.Name);
            for (var attempt = 0; ; attempt++)
            {
                var download = await client.DownloadContentAsync(cancellationToken);
                var content = DecisionLogCodec.Decode(download.Value.Content.ToMemory());
                if (!DecisionLogCodec.Mentions(content, customerIds))
                {
                    break;
                }

                var kept = DecisionLogCodec.Without(content, customerIds);
                try
                {
                    // Replaces the append blob with a block blob unless an append came in since the read.
                    await client.UploadAsync(
                        BinaryData.FromBytes(DecisionLogCodec.Encode(DecisionLogCodec.Entries(kept))),
                        new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = download.Value.Details.ETag } },
                        cancellationToken);
                    erased += content.Decisions.Count + content.Outcomes.Count - kept.Decisions.Count - kept.Outcomes.Count;
                    break;
                }
                catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 5)
                {
                    // Appended to meanwhile: read it again.
                }
            }
        }

        LogErased(_logger, customerIds.Count, erased);
        return erased;
    }

    public void Dispose()
    {
        _stop.Dispose();
        _writing.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await FlushAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_options.FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await FlushAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is RequestFailedException or IOException or TimeoutException)
                {
                    LogWriteFailed(_logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    // Under _writing: the batch in blocks of at most MaxAppendBytes, appended to today's segment.
    private async Task WriteAsync(List<object> batch, CancellationToken cancellationToken)
    {
        var from = 0;
        while (from < batch.Count)
        {
            var take = batch.Count - from;
            var block = DecisionLogCodec.Encode(batch.Skip(from).Take(take));
            while (block.Length > _options.MaxAppendBytes && take > 1)
            {
                take /= 2;
                block = DecisionLogCodec.Encode(batch.Skip(from).Take(take));
            }

            try
            {
                await AppendAsync(block, cancellationToken);
            }
            catch
            {
                // Not written: back in the queue for the next interval.
                foreach (var entry in batch.Skip(from))
                {
                    _queue.Writer.TryWrite(entry);
                }

                throw;
            }

            var written = batch.Skip(from).Take(take).ToList();
            Interlocked.Add(ref _decisions, written.Count(e => e is LoggedDecision));
            Interlocked.Add(ref _outcomes, written.Count(e => e is LoggedOutcome));
            Interlocked.Add(ref _bytes, block.Length);
            from += take;
        }
    }

    private async Task AppendAsync(byte[] block, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        for (var attempt = 0; ; attempt++)
        {
            if (_current is null || today != _day || _appends >= MaxAppendsPerSegment)
            {
                await OpenAsync(today, cancellationToken);
            }

            try
            {
                await _current!.AppendBlockAsync(new MemoryStream(block), cancellationToken: cancellationToken);
                _appends++;
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412 && attempt < 2)
            {
                // The segment was rewritten by an erasure (no longer an append blob) or deleted: a new one.
                _current = null;
            }
        }
    }

    private async Task OpenAsync(DateOnly day, CancellationToken cancellationToken)
    {
        if (day != _day)
        {
            (_day, _segment) = (day, 0);
            await DeleteExpiredAsync(day, cancellationToken);
        }

        _segment++;
        _appends = 0;
        var name = string.Create(CultureInfo.InvariantCulture, $"{Folder(day)}{AppendBlobCustomerLog.LogName(_silo.SiloAddress)}-{_time.GetUtcNow().UtcTicks}-{_segment}");
        _current = _container.GetAppendBlobClient(name);
        await _current.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    private async Task DeleteExpiredAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var oldest = today.AddDays(-_options.RetentionDays);
        await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, cancellationToken))
        {
            if (item.IsPrefix && DateOnly.TryParseExact(item.Prefix.TrimEnd('/'), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day < oldest)
            {
                await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, item.Prefix, cancellationToken))
                {
                    await _container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
                }
            }
        }
    }

    private static string Folder(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision log: a write failed, retried at the next interval: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision log: {Customers} customers erased, {Entries} entries removed")]
    private static partial void LogErased(ILogger logger, int customers, int entries);
}
