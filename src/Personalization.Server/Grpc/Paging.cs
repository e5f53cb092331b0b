using System.Text;
using Grpc.Core;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>Page sizes and opaque page tokens, the same for every list.</summary>
public static class Paging
{
    private const int DefaultSize = 50;
    private const int MaxSize = 1000;

    /// <summary>The requested page size: 0 means the default; above the maximum is INVALID_ARGUMENT.</summary>
    public static int Size(PageRequest? page)
    {
        var size = page?.PageSize ?? 0;
        return size is < 0 or > MaxSize
            ? throw GrpcErrors.Invalid($"page.page_size: between 0 and {MaxSize}, got {size}.")
            : size == 0 ? DefaultSize : size;
    }

    /// <summary>A token for where the next page starts.</summary>
    public static string Encode(string position) => Convert.ToBase64String(Encoding.UTF8.GetBytes(position));

    /// <summary>The position a token stands for; null for the first page; a forged token is INVALID_ARGUMENT.</summary>
    public static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw BadToken();
        }
    }

    /// <summary>The error for a token this service did not issue.</summary>
    public static RpcException BadToken() => GrpcErrors.Invalid("page.page_token: not a token this service issued.");
}
