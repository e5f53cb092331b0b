using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Personalization.AzureStorage.Diagnostics;

namespace Personalization.Server.Hosting;

/// <summary>
/// Clients for the one storage account the service depends on, made once from <see cref="StorageSettings"/>:
/// with the connection string, or with the service URI and a Microsoft Entra token credential.
/// </summary>
public sealed class StorageAccount
{
    private StorageAccount(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables)
    {
        Blobs = blobs;
        Queues = queues;
        Tables = tables;
    }

    /// <summary>Grain state (provider <c>AzureBlob</c>) and model bundles.</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>Delivery queues.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>Membership and reminders.</summary>
    public TableServiceClient Tables { get; }

    /// <summary>The clients for these settings; throws when <see cref="Problem"/> would not be null.</summary>
    public static StorageAccount From(StorageSettings settings)
    {
        if (settings.ServiceUri is null)
        {
            var connectionString = settings.ConnectionString ?? StorageSettings.DevelopmentStorage;
            return new StorageAccount(
                new BlobServiceClient(connectionString, Configured(new BlobClientOptions(), "blob")),
                new QueueServiceClient(connectionString, Configured(new QueueClientOptions(), "queue")),
                new TableServiceClient(connectionString, Configured(new TableClientOptions(), "table")));
        }

        var blob = new Uri(settings.ServiceUri);
        TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = settings.ManagedIdentityClientId });
        return new StorageAccount(
            new BlobServiceClient(blob, credential, Configured(new BlobClientOptions(), "blob")),
            new QueueServiceClient(Sibling(blob, "queue"), credential, Configured(new QueueClientOptions(), "queue")),
            new TableServiceClient(Sibling(blob, "table"), credential, Configured(new TableClientOptions(), "table")));
    }

    /// <summary>Why these settings name no usable account (a sentence to follow the setting's name); null when they do.</summary>
    public static string? Problem(StorageSettings settings)
    {
        if (settings.ServiceUri is { } serviceUri
            && (!Uri.TryCreate(serviceUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !uri.Host.Contains(".blob.", StringComparison.Ordinal)))
        {
            return $"'{serviceUri}' is not an account's blob endpoint (https://ACCOUNT.blob.core.windows.net; a token is only sent over https).";
        }

        if (settings.ServiceUri is null && settings.ConnectionString is { } connectionString && string.IsNullOrWhiteSpace(connectionString))
        {
            return "is empty; set an Azure Storage connection string (or leave it unset for Azurite on its default ports, or set 'Storage:ServiceUri' for a managed identity).";
        }

        try
        {
            _ = From(settings);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return $"is malformed: {ex.Message}";
        }
    }

    // Every request counted (README: cost model), and a store that stops answering fails a call in
    // seconds (UNAVAILABLE, retry) instead of holding it for the SDK's default 100 s per try.
    private static T Configured<T>(T options, string service)
        where T : ClientOptions
    {
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(15);
        // A bounded connection pool: a burst of writes queues here instead of opening a socket each.
        options.Transport = new HttpClientTransport(new SocketsHttpHandler { MaxConnectionsPerServer = 256 });
        return options.Counted(service);
    }

    // The account's other services live on the same host name with the service label swapped.
    private static Uri Sibling(Uri blob, string service) =>
        new UriBuilder(blob) { Host = blob.Host.Replace(".blob.", $".{service}.", StringComparison.Ordinal) }.Uri;
}
