using System.Security.Cryptography;
using System.Text;

namespace Personalization.AzureStorage.Storage;

/// <summary>
/// Maps (state name, grain id) to a blob name that any key can take: characters outside
/// [A-Za-z0-9-_] are written as ~XX (UTF-8 bytes in hex), so keys with slashes, dots, spaces or
/// non-ASCII letters stay distinct, readable and legal (the fixed ".state" suffix means no name
/// ends in a dot or a slash, even for an empty key); names past the service limit are hashed.
/// </summary>
public static class BlobNames
{
    private const int MaxBlobNameLength = 1024;
    private const string Suffix = ".state";

    /// <summary>The blob that holds one grain's state under one state name.</summary>
    public static string For(string stateName, GrainId grainId)
    {
        var name = $"{Escape(grainId.Type.ToString()!)}/{Escape(stateName)}/{Escape(grainId.Key.ToString()!)}{Suffix}";
        if (name.Length <= MaxBlobNameLength)
        {
            return name;
        }

        // Too long to store as is: keep a readable prefix and make it unique with a hash of the whole.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        return $"{name[..(MaxBlobNameLength - hash.Length - Suffix.Length - 1)]}~{hash}{Suffix}";
    }

    /// <summary>Whether a name obeys Azure's container naming rules.</summary>
    public static bool IsValidContainerName(string? name)
    {
        if (name is null || name.Length is < 3 or > 63)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var letterOrDigit = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (!letterOrDigit && !(c == '-' && i > 0 && i < name.Length - 1 && name[i - 1] != '-'))
            {
                return false;
            }
        }

        return true;
    }

    internal static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '_'))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var count = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..count])
            {
                builder.Append('~').Append(b.ToString("X2"));
            }
        }

        return builder.ToString();
    }
}
