using Personalization.V1;
using Personalization.V1.Conversions;

namespace Personalization.Api.Tests;

/// <summary>Definitions in YAML read exactly as their JSON form does.</summary>
public sealed class DefinitionFilesTests
{
    [Fact]
    public void AYamlJourneyReadsAsItsJsonForm()
    {
        const string yaml = """
            journey_id: j1
            name: "Numbers: 12"
            priority: 7
            holdout_share: 0.1
            entry: { event_type: EVENT_TYPE_PURCHASE }
            steps:
              - id: w
                wait: { until_best_hour: true, next: "" }
            """;
        const string json = """{ "journeyId": "j1", "name": "Numbers: 12", "priority": 7, "holdoutShare": 0.1, "entry": { "eventType": "EVENT_TYPE_PURCHASE" }, "steps": [ { "id": "w", "wait": { "untilBestHour": true } } ] }""";

        var fromYaml = DefinitionFiles.Parse<Journey>(yaml, yaml: true);
        var fromJson = DefinitionFiles.Parse<Journey>(json, yaml: false);

        Assert.Equal(fromJson, fromYaml);
    }

    [Fact]
    public void QuotedNumbersStayTextAndBadYamlNamesItsLine()
    {
        var journey = DefinitionFiles.Parse<Journey>("journey_id: '123'\nname: \"true\"", yaml: true);

        var error = Assert.Throws<FormatException>(() => DefinitionFiles.Parse<Journey>("journey_id: a\nsteps: [ {\n", yaml: true));

        Assert.Equal(("123", "true"), (journey.JourneyId, journey.Name));
        Assert.StartsWith("line ", error.Message);
    }
}
