using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Personalization.AzureStorage.Storage;

/// <summary>
/// Orleans grain storage on Azure Blob storage: one blob per grain and state name, written with
/// ETag preconditions so a stale or duplicate write fails with <see cref="InconsistentStateException"/>
/// instead of overwriting newer state.
/// </summary>
public sealed partial class AzureBlobGrainStorage(
    string name,
    AzureBlobGrainStorageOptions options,
    ILogger<AzureBlobGrainStorage> logger) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private BlobContainerClient? _container;

    /// <summary>The container, created on first use if start-up did not create it.</summary>
    private BlobContainerClient Container => _container ??= options.BuildClient().GetBlobContainerClient(options.ContainerName);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var blob = Container.GetBlobClient(BlobNames.For(stateName, grainId));
        try
        {
            var download = await blob.DownloadContentAsync().ConfigureAwait(false);
            var content = download.Value.Content;
            grainState.State = content.ToMemory().IsEmpty ? CreateState<T>() : options.GrainStorageSerializer.Deserialize<T>(content);
            grainState.ETag = download.Value.Details.ETag.ToString();
            grainState.RecordExists = true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No blob (or no container yet): the grain starts from a fresh, non-null state.
            grainState.State = CreateState<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        catch (Exception ex)
        {
            LogFailure(logger, ex, "read", name, grainId, stateName, grainState.ETag);
            throw;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var blob = Container.GetBlobClient(BlobNames.For(stateName, grainId));
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            // A null ETag means "I believe there is no record": the write must create, not overwrite.
            Conditions = grainState.ETag is null
                ? new BlobRequestConditions { IfNoneMatch = ETag.All }
                : new BlobRequestConditions { IfMatch = new ETag(grainState.ETag) },
        };

        try
        {
            var data = options.GrainStorageSerializer.Serialize(grainState.State);
            var response = await UploadCreatingContainer(blob, data, upload).ConfigureAwait(false);
            grainState.ETag = response.Value.ETag.ToString();
            grainState.RecordExists = true;
        }
        catch (RequestFailedException ex) when (IsConditionFailure(ex))
        {
            throw Inconsistent("write", stateName, grainId, grainState.ETag, ex);
        }
        catch (Exception ex)
        {
            LogFailure(logger, ex, "write", name, grainId, stateName, grainState.ETag);
            throw;
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var blob = Container.GetBlobClient(BlobNames.For(stateName, grainId));
        try
        {
            if (grainState.ETag is null)
            {
                // Nothing to delete as far as the grain knows; if a record appeared meanwhile, the grain is stale.
                if (await ExistsAsync(blob).ConfigureAwait(false))
                {
                    throw Inconsistent("clear", stateName, grainId, null, null);
                }
            }
            else
            {
                await blob.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = new ETag(grainState.ETag) })
                    .ConfigureAwait(false);
            }

            grainState.State = CreateState<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        catch (RequestFailedException ex) when (IsConditionFailure(ex) || ex.Status == 404)
        {
            // 404 with an ETag in hand: someone else deleted it; the grain's view is stale.
            throw Inconsistent("clear", stateName, grainId, grainState.ETag, ex);
        }
        catch (Exception ex) when (ex is not InconsistentStateException)
        {
            LogFailure(logger, ex, "clear", name, grainId, stateName, grainState.ETag);
            throw;
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(AzureBlobGrainStorage)}-{name}", options.InitStage, InitAsync);

    /// <summary>Creates the container at start-up so the first write does not pay for it, and so a bad account fails fast.</summary>
    public async Task InitAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        LogInitialized(logger, name, options.ContainerName, stopwatch.ElapsedMilliseconds);
    }

    private async Task<Response<BlobContentInfo>> UploadCreatingContainer(BlobClient blob, BinaryData data, BlobUploadOptions upload)
    {
        try
        {
            return await blob.UploadAsync(data, upload).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // The container was deleted after start-up (or start-up was skipped): create it and try once more.
            await Container.CreateIfNotExistsAsync().ConfigureAwait(false);
            return await blob.UploadAsync(data, upload).ConfigureAwait(false);
        }
    }

    private static async Task<bool> ExistsAsync(BlobClient blob)
    {
        try
        {
            return await blob.ExistsAsync().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return false;
        }
    }

    private static bool IsConditionFailure(RequestFailedException ex) =>
        ex.Status is 412 or 409 || ex.ErrorCode == BlobErrorCode.ConditionNotMet || ex.ErrorCode == BlobErrorCode.BlobAlreadyExists;

    private InconsistentStateException Inconsistent(string operation, string stateName, GrainId grainId, string? etag, Exception? inner)
    {
        var message = $"Grain storage '{name}' could not {operation} state '{stateName}' of {grainId}: the stored ETag is not '{etag ?? "(none)"}' (the grain's copy is stale or was written concurrently).";
        return new InconsistentStateException(message, "unknown", etag ?? "(none)", inner!);
    }

    private static T CreateState<T>() => Activator.CreateInstance<T>();

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain storage {Provider} failed to {Operation} {GrainId} state {StateName} (ETag {ETag})")]
    private static partial void LogFailure(ILogger logger, Exception exception, string operation, string provider, GrainId grainId, string stateName, string? etag);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Provider} ready on container {Container} in {ElapsedMs} ms")]
    private static partial void LogInitialized(ILogger logger, string provider, string container, long elapsedMs);
}
