using Personalization.V1;
using Personalization.V1.Conversions;

namespace Personalization.Console.Api;

/// <summary>The shipped journey templates (examples/journeys/*.json and *.yaml, copied beside the console as journeys/).</summary>
public static class JourneyTemplates
{
    /// <summary>The placeholder the templates carry where an offer id belongs.</summary>
    public const string OfferPlaceholder = "REPLACE-WITH-AN-OFFER-ID";

    /// <summary>The folder the templates are read from.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "journeys");

    /// <summary>The templates by file name (without .json, .yaml or .yml), read with the CLI's one reader of definition files.</summary>
    public static IReadOnlyDictionary<string, Journey> All()
    {
        if (!Directory.Exists(Folder))
        {
            return new Dictionary<string, Journey>();
        }

        return Directory.EnumerateFiles(Folder)
            .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || DefinitionFiles.IsYaml(f))
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => DefinitionFiles.Parse<Journey>(File.ReadAllText(f), DefinitionFiles.IsYaml(f)));
    }

    /// <summary>A new journey from a template: its own id and name, and the chosen offers in place of the placeholder.</summary>
    public static Journey Instantiate(Journey template, string journeyId, string name, IEnumerable<string> offerIds)
    {
        var journey = template.Clone();
        journey.JourneyId = journeyId;
        if (!string.IsNullOrWhiteSpace(name))
        {
            journey.Name = name;
        }

        var offers = offerIds.ToList();
        var kept = journey.OfferIds.Where(id => id != OfferPlaceholder).Concat(offers).Distinct(StringComparer.Ordinal).ToList();
        journey.OfferIds.Clear();
        journey.OfferIds.Add(kept);
        foreach (var send in journey.Steps.Where(s => s.KindCase == JourneyStep.KindOneofCase.Send).Select(s => s.Send))
        {
            if (send.OfferIds.Contains(OfferPlaceholder))
            {
                var ids = send.OfferIds.Where(id => id != OfferPlaceholder).Concat(offers).ToList();
                send.OfferIds.Clear();
                send.OfferIds.Add(ids);
            }
        }

        return journey;
    }
}
