using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Personalization.Scoring.Bundles;

/// <summary>
/// What a model predicts, by name: lower-case letters and hyphens (<c>churn</c>, <c>offer</c>,
/// <c>clv</c>, <c>purchase-propensity</c>). Kinds are open: a bundle declares its kind and its
/// output, and a new kind needs no code change. Churn and offer are built in (decisions read
/// them); every other kind scores customers and is cached, shown and usable in rules by name.
/// </summary>
[JsonConverter(typeof(ModelKindJsonConverter))]
public readonly partial record struct ModelKind
{
    /// <summary>Probability a customer churns.</summary>
    public static readonly ModelKind Churn = new("churn");

    /// <summary>Probability a customer accepts an offer (scored per offer, not cached per customer).</summary>
    public static readonly ModelKind Offer = new("offer");

    private readonly string? _name;

    /// <summary>A kind by name; check it with <see cref="Problem"/>.</summary>
    public ModelKind(string name) => _name = name;

    /// <summary>The kind's name.</summary>
    public string Name => _name ?? "";

    /// <summary>Whether a customer-level score of this kind is cached per customer (every kind but offer).</summary>
    public bool IsPerCustomer => this != Offer;

    /// <summary>Why a name cannot be a kind, or null when it can.</summary>
    public static string? Problem(string name) =>
        name.Length is 0 or > 40 || !KindName().IsMatch(name) ? $"kind '{name}': a kind is 1 to 40 lower-case letters and hyphens (e.g. clv, purchase-propensity)" : null;

    public override string ToString() => Name;

    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")]
    private static partial Regex KindName();
}

/// <summary>Reads and writes a kind as its name.</summary>
public sealed class ModelKindJsonConverter : JsonConverter<ModelKind>
{
    public override ModelKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? new ModelKind(reader.GetString()!) : throw new JsonException("kind: a name such as \"churn\"");

    public override void Write(Utf8JsonWriter writer, ModelKind value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
