using Azure;
using Azure.Storage.Blobs;
using Personalization.Server.Hosting;

namespace Personalization.Server.Models;

/// <summary>Pushed model bundles in Azure Blob storage, one blob per bundle named by its SHA-256 (content-addressed: writing twice is harmless).</summary>
public sealed class ModelStore(StorageAccount account, ModelSettings models)
{
    private readonly BlobContainerClient _container = account.Blobs.GetBlobContainerClient(models.Container);
    private int _created;

    /// <summary>Stores a bundle under its hash unless it is there already.</summary>
    public async Task PutAsync(string sha256, byte[] bundle, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await _container.GetBlobClient(Name(sha256)).UploadAsync(new BinaryData(bundle), overwrite: false, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Same name, same content.
        }
    }

    /// <summary>The bundle stored under a hash.</summary>
    public async Task<byte[]> GetAsync(string sha256, CancellationToken cancellationToken)
    {
        var content = await _container.GetBlobClient(Name(sha256)).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToArray();
    }

    private static string Name(string sha256) => $"bundles/{sha256}.zip";

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _created, 1);
        }
    }
}
