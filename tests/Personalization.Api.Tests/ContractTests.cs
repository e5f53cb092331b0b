using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Api.Tests;

/// <summary>The contract keeps the conventions a website team relies on.</summary>
public sealed partial class ContractTests
{
    private static readonly FileDescriptor[] Files =
    [
        CommonReflection.Descriptor, PingReflection.Descriptor, EventsReflection.Descriptor, DecisionsReflection.Descriptor,
        ProfilesReflection.Descriptor, OffersReflection.Descriptor, SegmentsReflection.Descriptor, CampaignsReflection.Descriptor,
        ModelsReflection.Descriptor, JourneysReflection.Descriptor, ProductsReflection.Descriptor, RecommendationsReflection.Descriptor, ReportsReflection.Descriptor,
    ];

    public static TheoryData<string> ProtoFiles => new(Directory.GetFiles(ProtosFolder(), "*.proto").Select(Path.GetFileName)!);

    [Fact]
    public void EveryFileIsInPackagePersonalizationV1()
    {
        Assert.All(Files, file => Assert.Equal("personalization.v1", file.Package));
    }

    [Fact]
    public void EveryServiceOfTheProductIsInTheContract()
    {
        var services = Files.SelectMany(f => f.Services).Select(s => s.Name).ToHashSet();

        Assert.Equal(
            new HashSet<string> { "PingService", "EventService", "DecisionService", "ProfileService", "OfferService", "SegmentService", "CampaignService", "ModelService", "JourneyService", "ProductService", "RecommendService", "ReportService" },
            services);
    }

    [Fact]
    public void EveryEnumStartsWithAnUnspecifiedZero()
    {
        var enums = Files.SelectMany(f => f.EnumTypes.Concat(f.MessageTypes.SelectMany(m => m.EnumTypes)));

        Assert.All(enums, e =>
        {
            Assert.Equal(0, e.Values[0].Number);
            Assert.EndsWith("_UNSPECIFIED", e.Values[0].Name);
        });
    }

    [Fact]
    public void TimesAreTimestamps()
    {
        var timeFields = Files.SelectMany(f => f.MessageTypes).SelectMany(m => m.Fields.InDeclarationOrder())
            .Where(field => field.Name.EndsWith("_at", StringComparison.Ordinal) || field.Name is "since" or "valid_from" or "valid_until" or "local_time");

        Assert.All(timeFields, field => Assert.Equal("google.protobuf.Timestamp", MessageName(field)));
    }

    [Fact]
    public void ListsArePaged()
    {
        var lists = Files.SelectMany(f => f.Services).SelectMany(s => s.Methods)
            .Where(m => m.Name.StartsWith("List", StringComparison.Ordinal) && m.Name != "ListModels");

        Assert.All(lists, method =>
        {
            Assert.Contains(method.InputType.Fields.InDeclarationOrder(), f => MessageName(f) == "personalization.v1.PageRequest");
            Assert.Contains(method.OutputType.Fields.InDeclarationOrder(), f => MessageName(f) == "personalization.v1.PageInfo");
        });
    }

    [Theory]
    [MemberData(nameof(ProtoFiles))]
    public void EveryDeclarationHasAOneLineComment(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(ProtosFolder(), file));

        var uncommented = lines
            .Select((line, index) => (line: line.Trim(), index))
            .Where(x => Declaration().IsMatch(x.line))
            .Where(x => x.index == 0 || !lines[x.index - 1].Trim().StartsWith("//", StringComparison.Ordinal))
            .Select(x => $"{file}:{x.index + 1}: {x.line}")
            .ToList();

        Assert.Empty(uncommented);
    }

    private static string? MessageName(FieldDescriptor field) =>
        field.FieldType == FieldType.Message ? field.MessageType.FullName : null;

    private static string ProtosFolder() => Path.Combine(RepositoryPaths.Root, "protos", "personalization", "v1");

    // service, rpc, message, enum, oneof declarations; fields ("type name = n;"); enum values ("NAME = n;").
    [GeneratedRegex(@"^(service|rpc|message|enum|oneof)\s|^(repeated\s+)?[\w.<>, ]+\s+\w+\s*=\s*\d+;|^[A-Z0-9_]+\s*=\s*\d+;")]
    private static partial Regex Declaration();
}
