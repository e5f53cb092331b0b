using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Personalization.Contracts.Diagnostics;

namespace Personalization.AzureStorage.Diagnostics;

/// <summary>
/// Counts every request this process sends to Azure Storage, by service and HTTP method, retries
/// included: the storage operations the cost model (README: Persistence) is about. Added to each
/// Azure client's pipeline; read by the <c>storage_requests</c> of <c>Ping</c> and the metric
/// <c>personalization.storage.requests</c>.
/// </summary>
public static class StorageRequests
{
    private static readonly ConcurrentDictionary<string, long> Counts = new(StringComparer.Ordinal);

    /// <summary>Requests sent so far, by <c>service method</c> (e.g. <c>blob PUT</c>).</summary>
    public static Dictionary<string, long> Totals => new(Counts, StringComparer.Ordinal);

    /// <summary>Adds the counting policy for <paramref name="service"/> (blob, table, queue) to client options.</summary>
    public static T Counted<T>(this T options, string service)
        where T : ClientOptions
    {
        options.AddPolicy(new Counter(service), HttpPipelinePosition.PerRetry);
        return options;
    }

    private static void Count(string service, string method)
    {
        Counts.AddOrUpdate($"{service} {method}", 1, (_, n) => n + 1);
        ProductTelemetry.StorageRequest(service, method);
    }

    private sealed class Counter(string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => Count(service, message.Request.Method.Method);
    }
}
