using System.Text;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Learning;

/// <summary>
/// The decision log's bytes: a sequence of frames (type, length, payload) so a reader can skip what
/// it does not know. Feature names are written once per encoded batch as a schema frame and decisions
/// refer to it by number, so a decision costs its values, not its names. Strings are UTF-8 with a
/// 7-bit length, times are ticks, scores are 32-bit floats. Pure.
/// </summary>
public static class DecisionLogCodec
{
    private const byte SchemaFrame = 1;
    private const byte DecisionFrame = 2;
    private const byte OutcomeFrame = 3;

    /// <summary>Encodes decisions and outcomes (in the given order) as one self-contained batch.</summary>
    public static byte[] Encode(IEnumerable<object> entries)
    {
        using var output = new MemoryStream();
        using var frame = new MemoryStream();
        using var writer = new BinaryWriter(frame, Encoding.UTF8, leaveOpen: true);
        var schemas = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case LoggedDecision d:
                    var key = string.Join('\n', d.FeatureNames);
                    if (!schemas.TryGetValue(key, out var schema))
                    {
                        schema = schemas.Count;
                        schemas[key] = schema;
                        writer.Write7BitEncodedInt(schema);
                        writer.Write7BitEncodedInt(d.FeatureNames.Count);
                        foreach (var name in d.FeatureNames)
                        {
                            writer.Write(name);
                        }

                        Flush(output, frame, writer, SchemaFrame);
                    }

                    WriteDecision(writer, d, schema);
                    Flush(output, frame, writer, DecisionFrame);
                    break;
                case LoggedOutcome o:
                    writer.Write(o.CustomerId);
                    writer.Write(o.DecisionId);
                    writer.Write(o.OfferId);
                    writer.Write((byte)o.Outcome);
                    writer.Write(o.Value);
                    writer.Write(o.At.Ticks);
                    Flush(output, frame, writer, OutcomeFrame);
                    break;
                default:
                    throw new ArgumentException($"not a decision log entry: {entry.GetType().Name}", nameof(entries));
            }
        }

        return output.ToArray();
    }

    /// <summary>Decodes what <see cref="Encode"/> wrote (batches may be concatenated); a torn last frame is ignored.</summary>
    public static DecisionLogContent Decode(ReadOnlyMemory<byte> bytes)
    {
        var decisions = new List<LoggedDecision>();
        var outcomes = new List<LoggedOutcome>();
        var schemas = new Dictionary<int, string[]>();
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        while (stream.Position < stream.Length)
        {
            byte type;
            int length;
            try
            {
                type = reader.ReadByte();
                length = reader.Read7BitEncodedInt();
            }
            catch (EndOfStreamException)
            {
                break;
            }

            if (length < 0 || stream.Position + length > stream.Length)
            {
                break; // an append cut short
            }

            var end = stream.Position + length;
            switch (type)
            {
                case SchemaFrame:
                    var id = reader.Read7BitEncodedInt();
                    var names = new string[reader.Read7BitEncodedInt()];
                    for (var i = 0; i < names.Length; i++)
                    {
                        names[i] = reader.ReadString();
                    }

                    schemas[id] = names;
                    break;
                case DecisionFrame:
                    decisions.Add(ReadDecision(reader, schemas));
                    break;
                case OutcomeFrame:
                    outcomes.Add(new LoggedOutcome(reader.ReadString(), reader.ReadString(), reader.ReadString(), (Outcome)reader.ReadByte(), reader.ReadDouble(), new DateTime(reader.ReadInt64(), DateTimeKind.Utc)));
                    break;
            }

            stream.Position = end;
        }

        return new DecisionLogContent(decisions, outcomes);
    }

    /// <summary>The content without any entry of <paramref name="customerIds"/> (what erasure rewrites).</summary>
    public static DecisionLogContent Without(DecisionLogContent content, IReadOnlySet<string> customerIds) =>
        new([.. content.Decisions.Where(d => !customerIds.Contains(d.CustomerId))], [.. content.Outcomes.Where(o => !customerIds.Contains(o.CustomerId))]);

    /// <summary>Whether any entry belongs to one of <paramref name="customerIds"/>.</summary>
    public static bool Mentions(DecisionLogContent content, IReadOnlySet<string> customerIds) =>
        content.Decisions.Any(d => customerIds.Contains(d.CustomerId)) || content.Outcomes.Any(o => customerIds.Contains(o.CustomerId));

    /// <summary>The entries in time order (decisions and outcomes interleaved), for re-encoding.</summary>
    public static IEnumerable<object> Entries(DecisionLogContent content) =>
        content.Decisions.Select(d => (At: d.DecidedAt, Entry: (object)d)).Concat(content.Outcomes.Select(o => (o.At, Entry: (object)o))).OrderBy(e => e.At).Select(e => e.Entry);

    private static void WriteDecision(BinaryWriter writer, LoggedDecision d, int schema)
    {
        writer.Write(d.CustomerId);
        writer.Write(d.DecisionId);
        writer.Write(d.DecidedAt.Ticks);
        writer.Write(d.Arm);
        writer.Write(d.OfferModelVersion);
        writer.Write(d.ChurnModelVersion);
        writer.Write((float)d.Churn);
        writer.Write7BitEncodedInt(schema);
        foreach (var value in d.FeatureValues)
        {
            writer.Write(value);
        }

        writer.Write7BitEncodedInt(d.Slates.Count);
        foreach (var slate in d.Slates)
        {
            writer.Write(slate.Placement);
            writer.Write7BitEncodedInt(slate.Candidates.Count);
            var chosen = -1;
            for (var i = 0; i < slate.Candidates.Count; i++)
            {
                var c = slate.Candidates[i];
                writer.Write(c.OfferId);
                writer.Write((float)c.Acceptance);
                writer.Write((float)c.Multiplier);
                chosen = c.OfferId == slate.Chosen ? i : chosen;
            }

            writer.Write7BitEncodedInt(chosen + 1);
            writer.Write((float)slate.Propensity);
            writer.Write((byte)slate.Channel);
        }
    }

    private static LoggedDecision ReadDecision(BinaryReader reader, Dictionary<int, string[]> schemas)
    {
        var (customer, decision, at, arm, offerModel, churnModel, churn) =
            (reader.ReadString(), reader.ReadString(), new DateTime(reader.ReadInt64(), DateTimeKind.Utc), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadSingle());
        var names = schemas.TryGetValue(reader.Read7BitEncodedInt(), out var known) ? known : throw new InvalidDataException("a decision refers to a schema not written before it");
        var values = new string[names.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadString();
        }

        var slates = new DecisionSlate[reader.Read7BitEncodedInt()];
        for (var s = 0; s < slates.Length; s++)
        {
            var placement = reader.ReadString();
            var candidates = new SlateCandidate[reader.Read7BitEncodedInt()];
            for (var i = 0; i < candidates.Length; i++)
            {
                candidates[i] = new SlateCandidate(reader.ReadString(), reader.ReadSingle(), reader.ReadSingle());
            }

            var chosen = reader.Read7BitEncodedInt() - 1;
            slates[s] = new DecisionSlate(placement, candidates, chosen < 0 ? null : candidates[chosen].OfferId, reader.ReadSingle(), (Customers.Channel)reader.ReadByte());
        }

        return new LoggedDecision(customer, decision, at, arm, offerModel, churnModel, churn, names, values, slates);
    }

    private static void Flush(MemoryStream output, MemoryStream frame, BinaryWriter writer, byte type)
    {
        writer.Flush();
        output.WriteByte(type);
        Span<byte> length = stackalloc byte[5];
        var n = 0;
        for (var v = (uint)frame.Length; ; v >>= 7)
        {
            length[n++] = (byte)(v < 0x80 ? v : (v & 0x7F) | 0x80);
            if (v < 0x80)
            {
                break;
            }
        }

        output.Write(length[..n]);
        frame.Position = 0;
        frame.CopyTo(output);
        frame.SetLength(0);
    }
}
