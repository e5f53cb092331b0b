using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Learning;

namespace Personalization.AzureStorage.Logs;

/// <summary>
/// The decision log on Azure append blobs (<see cref="AppendBlobDayLog{T}"/>): one folder per UTC day
/// (<c>yyyy-MM-dd/</c>), one append blob per silo segment in it. Decisions and outcomes queue in memory
/// and are appended once per <see cref="DecisionLogOptions.FlushInterval"/> as one block
/// (<see cref="DecisionLogCodec"/>), so a decision's answer never waits for storage; a silo that crashes
/// loses at most the last interval's entries (as it loses decisions not yet snapshotted). Erasure rewrites each blob that mentions the
/// customer, conditional on its ETag; the writer rolls to a new segment when its blob was rewritten.
/// Day folders older than <see cref="DecisionLogOptions.RetentionDays"/> are deleted.
/// </summary>
public sealed partial class AppendBlobDecisionLog(BlobServiceClient service, DecisionLogOptions options, ILocalSiloDetails silo, TimeProvider time, ILogger<AppendBlobDecisionLog> logger)
    : AppendBlobDayLog<object>(
        service.GetBlobContainerClient(options.Container ?? throw new ArgumentException("the decision log's container is not set.", nameof(options))),
        options.FlushInterval,
        options.MaxAppendBytes,
        silo,
        time,
        logger),
    IDecisionLog
{
    private long _decisions;
    private long _outcomes;
    private long _bytes;

    public (long Decisions, long Outcomes, long Bytes) Written => (Interlocked.Read(ref _decisions), Interlocked.Read(ref _outcomes), Interlocked.Read(ref _bytes));

    public void Append(LoggedDecision decision) => Enqueue(decision);

    public void Append(LoggedOutcome outcome) => Enqueue(outcome);

    public async Task<DecisionLogContent> ReadAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var decisions = new List<LoggedDecision>();
        var outcomes = new List<LoggedOutcome>();
        for (var day = DateOnly.FromDateTime(from); day <= DateOnly.FromDateTime(to); day = day.AddDays(1))
        {
            await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, FolderOf(day), cancellationToken))
            {
                var content = DecisionLogCodec.Decode((await Container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken)).Value.Content.ToMemory());
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
        await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            var client = Container.GetBlobClient(blob.Name);
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

        LogErased(logger, customerIds.Count, erased);
        return erased;
    }

    protected override byte[] Encode(IReadOnlyList<object> entries) => DecisionLogCodec.Encode(entries);

    protected override string Folder(DateOnly day) => FolderOf(day);

    protected override void OnWritten(IReadOnlyList<object> entries, int bytes)
    {
        Interlocked.Add(ref _decisions, entries.Count(e => e is LoggedDecision));
        Interlocked.Add(ref _outcomes, entries.Count(e => e is LoggedOutcome));
        Interlocked.Add(ref _bytes, bytes);
    }

    protected override async Task NewDayAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var oldest = today.AddDays(-options.RetentionDays);
        await foreach (var item in Container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, cancellationToken))
        {
            if (item.IsPrefix && DateOnly.TryParseExact(item.Prefix.TrimEnd('/'), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day < oldest)
            {
                await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, item.Prefix, cancellationToken))
                {
                    await Container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
                }
            }
        }
    }

    private static string FolderOf(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/";

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision log: {Customers} customers erased, {Entries} entries removed")]
    private static partial void LogErased(ILogger logger, int customers, int entries);
}
