using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Personalization.V1.Conversions;

/// <summary>
/// Definitions (journeys and the like) from files in the contract's JSON form, or the same in YAML:
/// YAML is turned into that JSON (plain scalars that read as numbers, booleans or null become them;
/// quoted ones stay text), so both forms accept exactly the same fields, snake_case or camelCase.
/// </summary>
public static class DefinitionFiles
{
    /// <summary>Whether a file name is YAML (.yaml or .yml).</summary>
    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="text"/> (YAML when <paramref name="yaml"/>, else JSON) into a message; <see cref="FormatException"/> names what is wrong.</summary>
    public static T Parse<T>(string text, bool yaml)
        where T : IMessage<T>, new()
    {
        try
        {
            return JsonParser.Default.Parse<T>(yaml ? YamlToJson(text) : text);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
        catch (YamlException ex)
        {
            throw new FormatException($"line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }
    }

    /// <summary>A YAML document as JSON text.</summary>
    public static string YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? "{}" : (ToJson(stream.Documents[0].RootNode)?.ToJsonString() ?? "null");
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new FormatException($"line {node.Start.Line}: aliases and other YAML nodes are not supported."),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
            _ => JsonValue.Create(text),
        };
    }
}
