using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Personalization.V1;

namespace Personalization.Console.Display;

/// <summary>How the console names the API's values for people (pure).</summary>
public static class Labels
{
    /// <summary>A campaign state as a word ("running").</summary>
    public static string State(CampaignState state) => state == CampaignState.Unspecified ? "" : state.ToString().ToLowerInvariant();

    /// <summary>A journey state as a word ("active").</summary>
    public static string State(JourneyState state) => state == JourneyState.Unspecified ? "" : state.ToString().ToLowerInvariant();

    /// <summary>A suppression reason as words ("no consent").</summary>
    public static string Reason(SuppressionReason reason) => Words(reason.ToString());

    /// <summary>"NoConsent" as "no consent".</summary>
    public static string Words(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>A reason code as the server sends it ("NO_CONSENT") in words ("no consent").</summary>
    public static string Code(string code) => code.Replace('_', ' ').ToLowerInvariant();

    /// <summary>A time the viewer typed in their own zone ("2026-12-01 09:30"), as the server's timestamp.</summary>
    public static Timestamp ParseLocal(string text, TimeZoneInfo zone)
    {
        if (!DateTime.TryParseExact(text.Trim(), ["yyyy-MM-dd HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new FormatException($"'{text}' is not a time like 2026-12-01 09:30.");
        }

        return Timestamp.FromDateTimeOffset(new DateTimeOffset(local, zone.GetUtcOffset(local)));
    }

    /// <summary>
    /// Sample traits typed one per line as <c>name = value</c> ("first_name = Ada", "tenure = 14", "vip = true"):
    /// whole numbers, decimals (invariant culture) and true/false keep their type, anything else is text, blank lines
    /// are skipped. A line without '=' or a name is a <see cref="FormatException"/> naming the line.
    /// </summary>
    public static Dictionary<string, Personalization.V1.Value> ParseTraits(string? text)
    {
        var traits = new Dictionary<string, Personalization.V1.Value>(StringComparer.Ordinal);
        var lines = (text ?? "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=');
            var name = equals > 0 ? line[..equals].Trim() : "";
            if (name.Length == 0)
            {
                throw new FormatException($"Sample traits, line {i + 1}: write name = value.");
            }

            var raw = line[(equals + 1)..].Trim();
            traits[name] = long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) ? new Personalization.V1.Value { IntValue = whole }
                : double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? new Personalization.V1.Value { DoubleValue = number }
                : bool.TryParse(raw, out var flag) ? new Personalization.V1.Value { BoolValue = flag }
                : new Personalization.V1.Value { StringValue = raw };
        }

        return traits;
    }

    /// <summary>A trait's value as text.</summary>
    public static string Value(Personalization.V1.Value value) => value.KindCase switch
    {
        Personalization.V1.Value.KindOneofCase.StringValue => value.StringValue,
        Personalization.V1.Value.KindOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        Personalization.V1.Value.KindOneofCase.DoubleValue => value.DoubleValue.ToString("0.###", CultureInfo.InvariantCulture),
        Personalization.V1.Value.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        Personalization.V1.Value.KindOneofCase.TimestampValue => value.TimestampValue.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>A sampling period in words: "15 minutes", "hour", "2 seconds".</summary>
    public static string Period(long seconds) => seconds switch
    {
        <= 0 => "—",
        < 60 => Count(seconds, "second"),
        < 3600 when seconds % 60 == 0 => Count(seconds / 60, "minute"),
        < 86_400 when seconds % 3600 == 0 => Count(seconds / 3600, "hour"),
        _ when seconds % 86_400 == 0 => Count(seconds / 86_400, "day"),
        _ => Count(seconds, "second"),
    };

    private static string Count(long n, string unit) => n == 1 ? $"{unit}" : $"{n.ToString(CultureInfo.InvariantCulture)} {unit}s";

    /// <summary>A share as a percentage with one decimal ("12.5%").</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A comparison's difference with its 95% interval: points for a rate ("+1.20 pt [−0.30, +2.70]"), amounts otherwise.</summary>
    public static string Interval(Comparison comparison)
    {
        var (scale, unit) = comparison.Metric == "conversion_rate" ? (100.0, " pt") : (1.0, "");
        return $"{Signed(comparison.Difference * scale)}{unit} [{Signed(comparison.Low * scale)}, {Signed(comparison.High * scale)}]";
    }

    /// <summary>A rate with its 95% interval and sample size ("12.3% [10.1%, 14.6%] of 400"); a dash when nothing was counted.</summary>
    public static string Rate(Personalization.V1.Rate? rate) =>
        rate is null || rate.Size == 0 ? "—" : $"{Percent(rate.Value)} [{Percent(rate.Low)}, {Percent(rate.High)}] of {rate.Size.ToString("N0", CultureInfo.InvariantCulture)}";

    private static string Signed(double value) => (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("0.00", CultureInfo.InvariantCulture);
}
