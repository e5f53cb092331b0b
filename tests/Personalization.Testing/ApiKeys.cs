using Grpc.Core;
using Grpc.Core.Interceptors;
using Personalization.Server.Security;

namespace Personalization.Testing;

/// <summary>Calls that carry an API key, as a client of a server with access control makes them.</summary>
public static class ApiKeys
{
    /// <summary>Every call through the result sends <paramref name="key"/> (none when null).</summary>
    public static CallInvoker Sending(this ChannelBase channel, string? key) => channel.Intercept(headers =>
    {
        if (key is not null)
        {
            headers.Add(ApiKeyInterceptor.Header, key);
        }

        return headers;
    });
}
