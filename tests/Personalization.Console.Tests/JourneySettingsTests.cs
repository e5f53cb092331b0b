using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Configuration;
using Personalization.Console.Api;
using Personalization.Console.Hosting;
using Personalization.Testing;
using Personalization.V1;
using Personalization.V1.Conversions;

namespace Personalization.Console.Tests;

/// <summary>The pure parts of the journey settings form and of the lists' pages.</summary>
public sealed class JourneySettingsTests
{
    private static Journey Template() =>
        JourneyTemplates.Instantiate(
            DefinitionFiles.Parse<Journey>(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "examples", "journeys", "abandoned-cart.json")), yaml: false),
            "cart", "", ["o-1"]);

    [Fact]
    public void TheFormHoldsTheSettingsOfTheCurrentVersionAndUnchangedGivesTheSameDefinition()
    {
        var current = Template();
        current.Version = 3;
        current.State = JourneyState.Active;
        current.Stats = new JourneyStats { Entered = 5 };
        current.CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow);

        var form = JourneySettings.From(current);
        var (journey, problems) = form.ToJourney(current);

        Assert.Equal(("1h", "7d", "7d"), (form.Steps[0].Duration, form.ReEntryAfter, form.GoalWithin));
        Assert.Equal(["wait-1h", "remind", "wait-for-purchase", "discount"], form.Steps.Select(s => s.Id));
        Assert.Empty(problems);
        var expected = current.Clone();
        expected.Version = 0;
        expected.State = JourneyState.Unspecified;
        expected.Stats = null;
        expected.CreatedAt = null;
        Assert.Equal(expected, journey);
    }

    [Fact]
    public void TheFormsValuesGoIntoTheNextVersionAndTheStepsStayAsTheyAre()
    {
        var current = Template();
        var form = JourneySettings.From(current);
        form.Name = "  Renamed ";
        form.HoldoutShare = 0.25;
        form.MaxEntries = 2;
        form.MaxTotalEntries = 1000;
        form.ReEntryPolicy = ReEntryPolicy.AfterExit;
        form.GoalWithin = "3d";
        form.Steps[0].Duration = "2d 3h";
        form.Steps[1].Channels = [Channel.Sms, Channel.Sms];
        form.Steps[2].Duration = "90m";
        form.OfferIds = ["o-1", "o-2"];

        var journey = form.ToJourney(current).Journey!;

        Assert.Equal("Renamed", journey.Name);
        Assert.Equal((0.25, 2, 1000L), (journey.HoldoutShare, journey.ReEntry.MaxEntries, journey.ReEntry.MaxTotalEntries));
        Assert.Equal((ReEntryPolicy.AfterExit, (Duration?)null), (journey.ReEntry.Policy, journey.ReEntry.After));
        Assert.Equal(TimeSpan.FromDays(3), journey.Goal.Within.ToTimeSpan());
        Assert.Equal(new TimeSpan(2, 3, 0, 0), journey.Steps[0].Wait.Duration.ToTimeSpan());
        Assert.Equal("remind", journey.Steps[0].Wait.Next);
        Assert.Equal([Channel.Sms], journey.Steps[1].Send.Channels);
        Assert.Equal(TimeSpan.FromMinutes(90), journey.Steps[2].WaitForEvent.Timeout.ToTimeSpan());
        Assert.Equal(["o-1", "o-2"], journey.OfferIds);
        Assert.Equal(current.Steps.Select(s => s.KindCase), journey.Steps.Select(s => s.KindCase));
        Assert.Equal("Abandoned cart: a reminder an hour after the cart, unless they buy", current.Name);
    }

    [Fact]
    public void ADurationThatDoesNotReadIsAProblemAtItsFieldAndANegativeOneIsLeftToTheServer()
    {
        var current = Template();
        var form = JourneySettings.From(current);
        form.Steps[0].Duration = "soon";
        form.Steps[2].Duration = "-1h";

        var (journey, problems) = form.ToJourney(current);

        Assert.Null(journey);
        Assert.Equal(["journey.steps[0].wait.duration"], problems.Keys);
        Assert.Contains("'soon' is not a duration", problems["journey.steps[0].wait.duration"], StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(-1), JourneySettings.ParseSpan("-1h"));
    }

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("2d 3h", 2 * 86400 + 3 * 3600)]
    [InlineData(" 45m ", 45 * 60)]
    [InlineData("3600s", 3600)]
    [InlineData("1d2h", 86400 + 7200)]
    [InlineData("0s", 0)]
    public void DurationsReadAsPeopleWriteThem(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), JourneySettings.ParseSpan(text));

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("h")]
    [InlineData("1w")]
    [InlineData("1.5h")]
    [InlineData("1h -2m")]
    [InlineData("99999999999d")]
    public void TextThatIsNotADurationReadsAsNone(string text) => Assert.Null(JourneySettings.ParseSpan(text));

    [Fact]
    public void TheServersProblemsAreFiledUnderTheFieldsTheyName()
    {
        var errors = JourneySettings.FieldErrors(
            "journey.name: is required, at most 200 characters.; journey.steps[0].wait.duration: more than 0 and at most 365 days, got -01:00:00.; "
            + "journey.entry.rule: line 1, column 5: expected a value; got ';'.; journey.steps[0].wait.duration: second");

        Assert.Equal(["journey.name", "journey.steps[0].wait.duration", "journey.entry.rule"], errors.Keys);
        Assert.Equal("more than 0 and at most 365 days, got -01:00:00.; second", errors["journey.steps[0].wait.duration"]);
        Assert.Equal("line 1, column 5: expected a value; got ';'.", errors["journey.entry.rule"]);
        Assert.Equal("no field here", JourneySettings.FieldErrors("no field here")[""]);
    }

    [Fact]
    public async Task ListPagesShowsThePagesAskedForOnceEachAndReadsThemAgainOnRefresh()
    {
        var items = Enumerable.Range(0, 7).Select(i => $"i{i}").ToList();
        var asked = new List<PageRequest>();
        Task<(IEnumerable<string> Items, PageInfo? Page)> Fetch(PageRequest page)
        {
            // The server's paging: after the token's item, in order.
            asked.Add(page);
            var from = page.PageToken.Length == 0 ? 0 : items.IndexOf(page.PageToken) + 1;
            var read = items.Skip(from).Take(page.PageSize).ToList();
            var more = from + read.Count < items.Count;
            return Task.FromResult<(IEnumerable<string>, PageInfo?)>((read, new PageInfo { NextPageToken = more ? read[^1] : "" }));
        }

        var pages = new ListPages<string>(s => s);
        await pages.LoadAsync(Fetch, 3);
        Assert.Equal(["i0", "i1", "i2"], pages.Items);
        Assert.True(pages.HasMore);

        await pages.MoreAsync(Fetch, 3);
        Assert.Equal(["i0", "i1", "i2", "i3", "i4", "i5"], pages.Items);

        items.Insert(1, "i0a");
        await pages.LoadAsync(Fetch, 3);
        Assert.Equal(["i0", "i0a", "i1", "i2", "i3", "i4"], pages.Items);

        await pages.MoreAsync(Fetch, 3);
        await pages.MoreAsync(Fetch, 3);
        Assert.Equal((8, false), (pages.Items.Count, pages.HasMore));
        Assert.Equal(items, await ListPages.AllAsync<string>(Fetch, 2, s => s));
        Assert.All(asked, page => Assert.True(page.PageSize is 2 or 3));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public void APageSizeOutOfRangeStopsStartUpNamingTheSetting(string size)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Console:PageSize"] = size }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => ConsoleSettings.From(configuration));

        Assert.Contains("'Console:PageSize' must be 1 to 1000", error.Message, StringComparison.Ordinal);
    }
}
