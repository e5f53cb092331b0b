using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Personalization.Contracts.Persistence;

namespace Personalization.AzureStorage.Logs;

/// <summary>
/// The customer change log on Azure append blobs: one folder per silo (<see cref="Name"/>), one
/// append blob per segment. Changes queue in memory; <see cref="CustomerLogOptions.ConcurrentAppends"/>
/// writers each take everything queued (up to 4 MiB) and append it as one block, then complete every
/// caller in it — group commit. A segment is deleted once no customer pins it (its changes are all in
/// snapshots). The log of a silo that is gone is read once per silo into an index for its customers'
/// recovery, then deleted by <c>CustomerLogRecoveryGrain</c>; a live silo's log (a customer whose closing snapshot
/// failed) is read whole for each recovery, but the recoveries that wait together share one read.
/// </summary>
public sealed partial class AppendBlobCustomerLog : ICustomerLog, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    // Azure refuses appends past 50,000 blocks in one blob: roll well before.
    private const int MaxAppendsPerSegment = 45_000;

    private readonly BlobContainerClient _container;
    private readonly CustomerLogOptions _options;
    private readonly IClusterMembershipService _membership;
    private readonly ILocalSiloDetails _silo;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<long, int> _pins = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<LogIndex>>> _orphans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SharedReads<LogIndex>> _live = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _rolling = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private long _queuedBytes;

    // Moving average of an append block's write time (ticks), each new one weighted 1/8.
    private long _appendTicks;
    private long _appendedAt;
    private long _segment = -1;
    private long _oldest;
    private int _segmentAppends;
    private long _segmentOpened;
    private AppendBlobClient? _current;
    private Task[] _writers = [];
    private Task _cleaner = Task.CompletedTask;

    public AppendBlobCustomerLog(BlobServiceClient service, CustomerLogOptions options, ILocalSiloDetails silo, IClusterMembershipService membership, TimeProvider time, ILogger<AppendBlobCustomerLog> logger)
    {
        _container = service.GetBlobContainerClient(options.Container ?? throw new ArgumentException("the log's container is not set.", nameof(options)));
        _options = options;
        _silo = silo;
        _membership = membership;
        _time = time;
        _logger = logger;
    }

    /// <summary>This silo's log: address, port and generation, so a restarted silo writes a new one.</summary>
    public string Name => LogName(_silo.SiloAddress);

    public bool HasRoom => Interlocked.Read(ref _queuedBytes) < _options.MaxQueuedBytes;

    // Zero once no append finished for a while: an idle log asks nothing of the pacer.
    public TimeSpan AppendLatency =>
        _time.GetElapsedTime(Interlocked.Read(ref _appendedAt)) < TimeSpan.FromSeconds(2) ? TimeSpan.FromTicks(Interlocked.Read(ref _appendTicks)) : TimeSpan.Zero;

    /// <summary>The log a silo writes.</summary>
    public static string LogName(SiloAddress silo) =>
        string.Create(CultureInfo.InvariantCulture, $"{silo.Endpoint.Address.ToString().Replace(':', '.')}-{silo.Endpoint.Port}-{silo.Generation}");

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AppendBlobCustomerLog), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    public long Pin()
    {
        var segment = Volatile.Read(ref _segment);
        _pins.AddOrUpdate(segment, 1, (_, count) => count + 1);
        return segment;
    }

    public void Unpin(long segment)
    {
        var left = _pins.AddOrUpdate(segment, 0, (_, count) => count - 1);
        if (left <= 0)
        {
            _pins.TryRemove(new KeyValuePair<long, int>(segment, left));
        }
    }

    public Task AppendAsync(ReadOnlyMemory<byte> frames)
    {
        if (Interlocked.Add(ref _queuedBytes, frames.Length) > _options.MaxQueuedBytes + frames.Length)
        {
            Interlocked.Add(ref _queuedBytes, -frames.Length);
            throw new StorageBusyException();
        }

        var pending = new Pending(frames, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _queuedBytes, -frames.Length);
            throw new StorageBusyException("the change log is stopping; retry on another silo.");
        }

        return pending.Done.Task.WaitAsync(_options.CommitTimeout);
    }

    public async Task<IReadOnlyList<LogRecord>> ReadAsync(string log, string key, long claim, long afterSeq)
    {
        // A gone silo's log is read once and kept. A live silo's log still grows: a caller needs a read that began
        // after it asked, and callers waiting together share one (after a silo's loss, tens of thousands of customers
        // whose closing snapshots failed may recover from the survivor's own log at once: a whole read each exhausted
        // memory and the store).
        var index = Orphaned(log) ? await OrphanIndexAsync(log) : await _live.GetOrAdd(log, l => new SharedReads<LogIndex>(() => LoadAsync(l))).ReadAsync();
        return index.For(key, claim, afterSeq);
    }

    public async Task<IReadOnlyList<string>> OrphanedLogsAsync()
    {
        var logs = new List<string>();
        await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, _stop.Token))
        {
            if (item.IsPrefix && item.Prefix.TrimEnd('/') is var log && Orphaned(log))
            {
                logs.Add(log);
            }
        }

        return logs;
    }

    public async Task<IReadOnlyCollection<string>> KeysAsync(string log) => (await OrphanIndexAsync(log)).Keys;

    public async Task DeleteAsync(string log)
    {
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, log + "/", _stop.Token))
        {
            await _container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: _stop.Token);
        }

        _orphans.TryRemove(log, out _);
        LogDeleted(_logger, log);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await OpenSegmentAsync(0, cancellationToken);
        _writers = [.. Enumerable.Range(0, _options.ConcurrentAppends).Select(_ => Task.Run(WriteLoopAsync, CancellationToken.None))];
        _cleaner = Task.Run(CleanLoopAsync, CancellationToken.None);
    }

    // After the grains: their last appends drain before the writers stop.
    private async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stop.CancelAsync();
        await _cleaner.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        var buffer = new ArrayBufferWriter<byte>(256 * 1024);
        Pending? carry = null;
        while (carry is not null || await reader.WaitToReadAsync())
        {
            batch.Clear();
            buffer.ResetWrittenCount();
            if (carry is not null)
            {
                batch.Add(carry);
                buffer.Write(carry.Frames.Span);
                carry = null;
            }

            while (buffer.WrittenCount < _options.MaxAppendBytes && reader.TryRead(out var next))
            {
                if (buffer.WrittenCount > 0 && buffer.WrittenCount + next.Frames.Length > _options.MaxAppendBytes)
                {
                    carry = next;
                    break;
                }

                batch.Add(next);
                buffer.Write(next.Frames.Span);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var started = _time.GetTimestamp();
            try
            {
                await AppendBlockAsync(buffer.WrittenMemory);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                LogAppendFailed(_logger, Name, batch.Count, buffer.WrittenCount, ex.Message);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }
            }
            finally
            {
                RecordLatency(_time.GetElapsedTime(started));
                Interlocked.Add(ref _queuedBytes, -buffer.WrittenCount);
            }
        }
    }

    private void RecordLatency(TimeSpan took)
    {
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref _appendTicks);
            next = seen + ((took.Ticks - seen) / 8);
        }
        while (Interlocked.CompareExchange(ref _appendTicks, next, seen) != seen);
        Interlocked.Exchange(ref _appendedAt, _time.GetTimestamp());
    }

    private async Task AppendBlockAsync(ReadOnlyMemory<byte> block)
    {
        for (var attempt = 0; ; attempt++)
        {
            var blob = await SegmentForAppendAsync();
            try
            {
                await blob.AppendBlockAsync(BinaryData.FromBytes(block).ToStream());
                return;
            }
            catch (RequestFailedException ex) when (attempt == 0 && ex.ErrorCode is "BlockCountExceedsLimit" or "BlobNotFound" or "ContainerNotFound")
            {
                // The segment is full, or storage lost it (a deleted container): start a new one and append there.
                if (ex.ErrorCode == "ContainerNotFound")
                {
                    await _container.CreateIfNotExistsAsync();
                }

                await RollAsync(Volatile.Read(ref _segment));
            }
        }
    }

    private async ValueTask<AppendBlobClient> SegmentForAppendAsync()
    {
        if (Volatile.Read(ref _segmentAppends) >= MaxAppendsPerSegment || _time.GetElapsedTime(Volatile.Read(ref _segmentOpened)) >= _options.SegmentDuration)
        {
            await RollAsync(Volatile.Read(ref _segment));
        }

        Interlocked.Increment(ref _segmentAppends);
        return _current!;
    }

    private async Task RollAsync(long from)
    {
        await _rolling.WaitAsync();
        try
        {
            if (Volatile.Read(ref _segment) == from)
            {
                await OpenSegmentAsync(from + 1, CancellationToken.None);
            }
        }
        finally
        {
            _rolling.Release();
        }
    }

    private async Task OpenSegmentAsync(long segment, CancellationToken cancellationToken)
    {
        var blob = _container.GetAppendBlobClient(SegmentName(Name, segment));
        await blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        _current = blob;
        Volatile.Write(ref _segmentAppends, 0);
        Volatile.Write(ref _segmentOpened, _time.GetTimestamp());
        Volatile.Write(ref _segment, segment);
    }

    // Rolls an idle segment so it can go, and deletes sealed segments nobody pins, oldest first. The
    // segment before the current one stays: appends that picked it may still be in flight.
    private async Task CleanLoopAsync()
    {
        var every = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, _options.SegmentDuration.Ticks / 2));
        using var timer = new PeriodicTimer(every, _time);
        while (await Ticks.NextAsync(timer, _stop.Token))
        {
            try
            {
                if (Volatile.Read(ref _segmentAppends) > 0 && _time.GetElapsedTime(Volatile.Read(ref _segmentOpened)) >= _options.SegmentDuration)
                {
                    await RollAsync(Volatile.Read(ref _segment));
                }

                var current = Volatile.Read(ref _segment);
                while (_oldest < current - 1 && !_pins.ContainsKey(_oldest))
                {
                    await _container.DeleteBlobIfExistsAsync(SegmentName(Name, _oldest), cancellationToken: _stop.Token);
                    _oldest++;
                }
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException)
            {
                LogCleanFailed(_logger, Name, ex.Message);
            }
        }
    }

    // A log is orphaned when its silo is dead, or absent from the membership and older than this silo
    // (a younger absent silo may be starting up and not in this silo's view yet).
    private bool Orphaned(string log)
    {
        if (log == Name)
        {
            return false;
        }

        foreach (var member in _membership.CurrentSnapshot.Members.Values)
        {
            if (LogName(member.SiloAddress) == log)
            {
                return member.Status == SiloStatus.Dead;
            }
        }

        var dash = log.LastIndexOf('-');
        return dash > 0 && int.TryParse(log.AsSpan(dash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var generation)
            && generation < _silo.SiloAddress.Generation;
    }

    private async Task<LogIndex> OrphanIndexAsync(string log)
    {
        var lazy = _orphans.GetOrAdd(log, l => new Lazy<Task<LogIndex>>(() => LoadAsync(l)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _orphans.TryRemove(new KeyValuePair<string, Lazy<Task<LogIndex>>>(log, lazy));
            throw;
        }
    }

    private async Task<LogIndex> LoadAsync(string log)
    {
        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, log + "/", CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        var index = new LogIndex();
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            try
            {
                var content = await _container.GetBlobClient(name).DownloadContentAsync();
                index.Add(content.Value.Content.ToMemory());
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Deleted since listed: its records were all in snapshots.
            }
        }

        LogLoaded(_logger, log, names.Count, index.Keys.Count);
        return index;
    }

    public void Dispose()
    {
        _rolling.Dispose();
        _stop.Dispose();
    }

    private static string SegmentName(string log, long segment) => string.Create(CultureInfo.InvariantCulture, $"{log}/{segment:D10}");

    private sealed record Pending(ReadOnlyMemory<byte> Frames, TaskCompletionSource Done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change log {Log}: an append of {Records} changes ({Bytes} bytes) failed; their callers are told: {Reason}")]
    private static partial void LogAppendFailed(ILogger logger, string log, int records, int bytes, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change log {Log}: cleaning up segments failed, retried later: {Reason}")]
    private static partial void LogCleanFailed(ILogger logger, string log, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change log {Log} read: {Segments} segments, {Customers} customers")]
    private static partial void LogLoaded(ILogger logger, string log, int segments, int customers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change log {Log} deleted: every customer in it took its changes over")]
    private static partial void LogDeleted(ILogger logger, string log);
}
