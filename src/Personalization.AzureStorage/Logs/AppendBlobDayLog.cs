using System.Globalization;
using System.Threading.Channels;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace Personalization.AzureStorage.Logs;

/// <summary>
/// A silo's group-committed log on Azure append blobs, one folder per UTC day and one append blob per
/// silo segment in it: entries queue in memory and are appended once per flush interval as one block
/// (never one write per entry), so the callers never wait for storage; a silo that crashes loses at
/// most the last interval's entries. A failed append puts the batch back for the next interval
/// (at-least-once: a block whose answer was lost may be written twice). The decision log and the event
/// export share it; each says how a batch is encoded and where a day's folder is.
/// </summary>
public abstract partial class AppendBlobDayLog<T> : ILifecycleParticipant<ISiloLifecycle>, IDisposable
    where T : class
{
    // Azure refuses appends past 50,000 blocks in one blob: roll well before.
    private const int MaxAppendsPerSegment = 45_000;
    private const int MaxQueued = 500_000;

    private readonly TimeSpan _flushInterval;
    private readonly int _maxAppendBytes;
    private readonly ILocalSiloDetails _silo;
    private readonly ILogger _logger;
    private readonly Channel<T> _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private AppendBlobClient? _current;
    private DateOnly _day;
    private int _segment;
    private int _appends;

    /// <summary>A log in <paramref name="container"/>, appended every <paramref name="flushInterval"/> in blocks of at most <paramref name="maxAppendBytes"/>.</summary>
    protected AppendBlobDayLog(BlobContainerClient container, TimeSpan flushInterval, int maxAppendBytes, ILocalSiloDetails silo, TimeProvider time, ILogger logger)
    {
        Container = container;
        Time = time;
        _flushInterval = flushInterval;
        _maxAppendBytes = maxAppendBytes;
        _silo = silo;
        _logger = logger;
    }

    /// <summary>The log's container.</summary>
    protected BlobContainerClient Container { get; }

    /// <summary>The clock that names days and paces flushes.</summary>
    protected TimeProvider Time { get; }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    /// <summary>Writes everything this silo has queued.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var batch = new List<T>();
            while (_queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            await WriteAsync(Kept(batch), cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _writing.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Queues an entry for the next write (dropped when the queue is full).</summary>
    protected void Enqueue(T entry) => _queue.Writer.TryWrite(entry);

    /// <summary>Entries as one block's bytes.</summary>
    protected abstract byte[] Encode(IReadOnlyList<T> entries);

    /// <summary>The folder (with its trailing slash) of a UTC day's segments.</summary>
    protected abstract string Folder(DateOnly day);

    /// <summary>The ending of a segment's name (a file extension, or nothing).</summary>
    protected virtual string SegmentSuffix => "";

    /// <summary>What of a drained batch is written (all of it unless a subclass drops some).</summary>
    protected virtual List<T> Kept(List<T> batch) => batch;

    /// <summary>Called after a block was appended, with its entries and size.</summary>
    protected virtual void OnWritten(IReadOnlyList<T> entries, int bytes)
    {
    }

    /// <summary>Called when the writer opens the first segment of a new day (the decision log deletes expired days).</summary>
    protected virtual Task NewDayAsync(DateOnly today, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
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
        using var timer = new PeriodicTimer(_flushInterval, Time);
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
                    LogWriteFailed(_logger, GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    // Under _writing: the batch in blocks of at most _maxAppendBytes, appended to today's segment.
    private async Task WriteAsync(List<T> batch, CancellationToken cancellationToken)
    {
        var from = 0;
        while (from < batch.Count)
        {
            var take = batch.Count - from;
            var block = Encode(batch.GetRange(from, take));
            while (block.Length > _maxAppendBytes && take > 1)
            {
                take /= 2;
                block = Encode(batch.GetRange(from, take));
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

            OnWritten(batch.GetRange(from, take), block.Length);
            from += take;
        }
    }

    private async Task AppendAsync(byte[] block, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
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
                // The segment was rewritten (no longer an append blob) or deleted: a new one.
                _current = null;
            }
        }
    }

    private async Task OpenAsync(DateOnly day, CancellationToken cancellationToken)
    {
        if (day != _day)
        {
            (_day, _segment) = (day, 0);
            await NewDayAsync(day, cancellationToken);
        }

        _segment++;
        _appends = 0;
        var name = string.Create(CultureInfo.InvariantCulture, $"{Folder(day)}{AppendBlobCustomerLog.LogName(_silo.SiloAddress)}-{Time.GetUtcNow().UtcTicks}-{_segment}{SegmentSuffix}");
        _current = Container.GetAppendBlobClient(name);
        await _current.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Log}: a write failed, retried at the next interval: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string log, string reason);
}
