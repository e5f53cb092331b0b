using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Personalization.Contracts.Persistence;

/// <summary>
/// The change log's record format, little-endian: total length (int32, of what follows), key length
/// (int32), key (UTF-8), claim (int64), sequence (int64), payload (the Orleans-serialized change).
/// Blocks are appended whole, so a reader never sees half a record.
/// </summary>
public static class LogFrames
{
    private const int Fixed = 4 + 8 + 8;

    /// <summary>Writes one record.</summary>
    public static void Write(IBufferWriter<byte> output, string key, long claim, long seq, ReadOnlySpan<byte> payload)
    {
        var keyLength = Encoding.UTF8.GetByteCount(key);
        var total = Fixed + keyLength + payload.Length;
        var span = output.GetSpan(4 + total);
        BinaryPrimitives.WriteInt32LittleEndian(span, total);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], keyLength);
        Encoding.UTF8.GetBytes(key, span[8..]);
        var at = 8 + keyLength;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], claim);
        BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], seq);
        payload.CopyTo(span[(at + 16)..]);
        output.Advance(4 + total);
    }

    /// <summary>Reads every whole record of a block sequence; a torn tail (never written by an append) ends the walk.</summary>
    public static IEnumerable<(string Key, long Claim, long Seq, ReadOnlyMemory<byte> Payload)> Read(ReadOnlyMemory<byte> data)
    {
        var offset = 0;
        while (offset + 4 <= data.Length)
        {
            var span = data.Span[offset..];
            var total = BinaryPrimitives.ReadInt32LittleEndian(span);
            if (total < Fixed || offset + 4 + total > data.Length)
            {
                yield break;
            }

            var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
            if (keyLength < 0 || keyLength > total - Fixed)
            {
                yield break;
            }

            var key = Encoding.UTF8.GetString(span.Slice(8, keyLength));
            var at = 8 + keyLength;
            var claim = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
            var seq = BinaryPrimitives.ReadInt64LittleEndian(span[(at + 8)..]);
            var payload = data.Slice(offset + at + 16, total - Fixed - keyLength);
            offset += 4 + total;
            yield return (key, claim, seq, payload);
        }
    }
}
