using Microsoft.Playwright;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Console.Tests;

/// <summary>
/// The console driven in a real browser as a person would: sign in, build a segment and watch its
/// count, run a campaign to completion, open a journey's diagram, look a customer up, be refused a
/// screen. Each test saves screenshots of the screens it visits under the test output.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleScreenTests(ConsoleEnvironment environment)
{
    private static readonly LocatorAssertionsToHaveTextOptions Patiently = new() { Timeout = 60_000 };

    private Task<IPage> GoAsync(string role, string path) => GoAsync(environment.SignedInAsync(role), path);

    private async Task<IPage> GoAsync(Task<IPage> signingIn, string path)
    {
        var page = await signingIn;
        await page.GotoAsync(new Uri(environment.ConsoleAddress, path).ToString());
        await page.Locator("h1").First.WaitForAsync();
        await InteractiveAsync(page);
        return page;
    }

    private static Task InteractiveAsync(IPage page) => ConsoleEnvironment.InteractiveAsync(page);

    [Fact]
    public async Task AWrongKeyIsRefusedAtSignInAndARightOneShowsItsScreens()
    {
        var page = await environment.NewPageAsync();
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/segments").ToString());
        await page.GetByLabel("API key").FillAsync("not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync("The server does not know this key.");
        await ConsoleEnvironment.ScreenshotAsync(page, "signin");

        await page.GetByLabel("API key").FillAsync(ConsoleEnvironment.Keys["campaign-manager"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("who")).ToHaveTextAsync("campaign-manager-key · campaign-manager");
        Assert.EndsWith("/segments", page.Url, StringComparison.Ordinal);
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Screens" });
        await Assertions.Expect(menu.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Home", "Segments", "Offers", "Campaigns", "Journeys", "Calendar", "Reports"]);
    }

    [Fact]
    public async Task ACampaignManagerBuildsASegmentSeesMistakesWithTheirPositionAndWatchesItsCount()
    {
        var page = await GoAsync("campaign-manager", "/segments");
        var name = $"cohort-{Guid.NewGuid():N}"[..16];

        await page.Locator("#segment-name").FillAsync(name);
        await page.Locator("#segment-rule").FillAsync("cohort = ");
        await Assertions.Expect(page.GetByTestId("rule-errors")).ToContainTextAsync("Line 1, column");
        await page.Locator("#segment-rule").FillAsync($"cohort = '{environment.Cohort}' and consented(email)");
        await Assertions.Expect(page.GetByTestId("preview-count")).ToHaveTextAsync($"Matches {ConsoleEnvironment.CohortSize} of {ConsoleEnvironment.CohortSize} customers", new() { Timeout = 30_000 });
        await ConsoleEnvironment.ScreenshotAsync(page, "segments");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save segment" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId($"members-{name}")).ToHaveTextAsync(ConsoleEnvironment.CohortSize.ToString(), Patiently);
        await ConsoleEnvironment.ScreenshotAsync(page, "segments");
    }

    [Fact]
    public async Task ACampaignManagerCreatesAndStartsACampaignAndWatchesItReachCompletion()
    {
        var segment = $"winter-{Guid.NewGuid():N}"[..15];
        await new SegmentService.SegmentServiceClient(environment.Server.Channel.Sending(ConsoleEnvironment.Keys["admin"]))
            .CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = $"cohort = '{environment.Cohort}'" } });
        var page = await GoAsync("campaign-manager", "/campaigns");
        var name = $"Winter {Guid.NewGuid():N}"[..14];

        await page.Locator("#campaign-name").FillAsync(name);
        await ChooseAsync(page, "#campaign-segment", segment);
        await ChooseAsync(page, "#campaign-offers", environment.Offer.Name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create campaign" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await page.WaitForURLAsync("**/campaigns/*");
        await InteractiveAsync(page);
        for (var tries = 0; tries < 10 && await TextOrNullAsync(page.GetByTestId("progress-state")) is null or "draft"; tries++)
        {
            // A click that lands while the screen re-renders its first load is lost on a busy machine: click again while it is a draft.
            await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync(new() { Timeout = 5_000 }).ContinueWith(_ => Task.Delay(2_000)).Unwrap();
        }

        await Assertions.Expect(page.GetByTestId("progress-state")).ToHaveTextAsync("completed", Patiently);
        await Assertions.Expect(page.GetByTestId("progress")).ToContainTextAsync($"{ConsoleEnvironment.CohortSize} targeted · {ConsoleEnvironment.CohortSize} decided");
        await ConsoleEnvironment.ScreenshotAsync(page, "campaign");
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/campaigns").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync("completed");
        await ConsoleEnvironment.ScreenshotAsync(page, "campaigns");
    }

    [Fact]
    public async Task ACampaignManagerCreatesAJourneyFromATemplateAndOpensItsDiagram()
    {
        var page = await GoAsync("campaign-manager", "/journeys");
        var id = $"cart-{Guid.NewGuid():N}"[..13];

        await page.Locator("#journey-id").FillAsync(id);
        await ChooseAsync(page, "#journey-offers", environment.Offer.Name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create journey (draft)" }).ClickAsync();
        await ConsoleEnvironment.ScreenshotAsync(page, "journeys");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = id }).GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync("**/journeys/*");
        await InteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("journey-state")).ToHaveTextAsync("active");
        var diagram = page.GetByTestId("journey-diagram");
        await Assertions.Expect(diagram.GetByTestId("step-wait-1h")).ToContainTextAsync("wait 1h → remind");
        await Assertions.Expect(diagram.GetByTestId("step-wait-for-purchase")).ToContainTextAsync("reached 0 · here now 0");
        // The template's purchase goal: results per group (none entered yet) with the comparisons' intervals.
        var goal = page.GetByTestId("journey-goal");
        await Assertions.Expect(goal).ToContainTextAsync("treated");
        await Assertions.Expect(goal).ToContainTextAsync("holdout");
        await Assertions.Expect(page.GetByText("treated vs holdout on conversion rate")).ToBeVisibleAsync();
        await ConsoleEnvironment.ScreenshotAsync(page, "journey");
    }

    [Fact]
    public async Task AnAdminLooksACustomerUpAndSeesTheirSegments()
    {
        var customer = environment.Customers[0];
        var segment = $"premium-{Guid.NewGuid():N}"[..16];
        await new SegmentService.SegmentServiceClient(environment.Server.Channel.Sending(ConsoleEnvironment.Keys["admin"]))
            .CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = $"cohort = '{environment.Cohort}' and plan = 'premium'" } });
        var page = await GoAsync("admin", "/customers");

        await page.Locator("#customer-id").FillAsync(customer);
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("profile")).ToContainTextAsync($"Profile {customer}");
        await Assertions.Expect(page.GetByTestId("profile")).ToContainTextAsync("premium");
        await Assertions.Expect(page.GetByTestId("customer-segments")).ToContainTextAsync(segment, new() { Timeout = 60_000 });
        await ConsoleEnvironment.ScreenshotAsync(page, "customers");
    }

    [Fact]
    public async Task ADataScientistIsRefusedTheCustomersScreenAndActivatesAPushedModel()
    {
        var page = await GoAsync("data-scientist", "/customers");

        await Assertions.Expect(page.GetByTestId("refused")).ToContainTextAsync("Customers needs the role 'admin'");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Screens" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(["Home", "Models"]);
        await ConsoleEnvironment.ScreenshotAsync(page, "refused");
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/models").ToString());
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = environment.ChurnVersion }).First;
        await Assertions.Expect(row).ToContainTextAsync("staged");
        await row.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();

        await Assertions.Expect(row).ToContainTextAsync("active", new() { Timeout = 60_000 });
        await Assertions.Expect(row).ToContainTextAsync("auc");
        await ConsoleEnvironment.ScreenshotAsync(page, "models");
    }

    [Fact]
    public async Task TheOtherScreensShowTheLibraryAndTheCalendar()
    {
        var page = await GoAsync("campaign-manager", "/offers");

        await Assertions.Expect(page.GetByTestId("offers")).ToContainTextAsync(environment.Offer.Name);
        await ConsoleEnvironment.ScreenshotAsync(page, "offers");
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/calendar").ToString());
        await page.GetByTestId("calendar").WaitForAsync();
        await ConsoleEnvironment.ScreenshotAsync(page, "calendar");
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/").ToString());
        await page.Locator("h1").WaitForAsync();
        await ConsoleEnvironment.ScreenshotAsync(page, "home");
    }

    [Fact]
    public async Task ACampaignManagerReadsAnOffersClicksInTheReportAndCountsTheOverlapOfTwoCampaigns()
    {
        var admin = environment.Server.Channel.Sending(ConsoleEnvironment.Keys["admin"]);
        var decisions = new DecisionService.DecisionServiceClient(admin);
        var clicked = 0;
        foreach (var customer in environment.Customers)
        {
            if (clicked == 3)
            {
                break;
            }

            var decided = await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = new DecisionContext { Channels = { Channel.Web }, OfferIds = { environment.Offer.OfferId }, MaxActions = 1 } });
            if (decided.ExperimentArm == "holdout")
            {
                // The service's 5% holdout (stable per customer; the cohort's ids are new every run) is sent nothing: take the next customer.
                Assert.Empty(decided.Actions);
                continue;
            }

            clicked++;
            var action = Assert.Single(decided.Actions);
            Assert.Equal(environment.Offer.OfferId, action.OfferId);
            await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decided.DecisionId, OfferId = action.OfferId, Outcome = Outcome.Shown });
            await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decided.DecisionId, OfferId = action.OfferId, Outcome = Outcome.Clicked });
        }

        Assert.Equal(3, clicked);
        const string clicks = "3";
        var page = await GoAsync("campaign-manager", "/reports");
        // A select that holds a value hides its input: open it by its box.
        await page.Locator("div.mud-input-control.mud-select").Filter(new() { Has = page.Locator("#report-by") }).ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = "offer" }).First.ClickAsync();
        var row = page.GetByTestId($"report-row-{environment.Offer.OfferId}");
        for (var tries = 0; tries < 30 && await TextOrNullAsync(row.Locator("td").Nth(5)) != clicks; tries++)
        {
            // The server's KPI counters are summed per silo and written every few seconds: ask again until they arrive.
            await page.Locator("#report-show").ClickAsync();
            await Task.Delay(1_000);
        }

        await Assertions.Expect(row.Locator("td").Nth(5)).ToHaveTextAsync(clicks, Patiently);
        await Assertions.Expect(page.GetByTestId("report-heading")).ToContainTextAsync("by offer, last touch attribution");
        await Assertions.Expect(page.GetByTestId("report-global-control")).Not.ToBeEmptyAsync();
        await ConsoleEnvironment.ScreenshotAsync(page, "reports");

        var campaigns = new CampaignService.CampaignServiceClient(admin);
        var segments = new SegmentService.SegmentServiceClient(admin);
        var all = $"all-{Guid.NewGuid():N}"[..12];
        var premium = $"prem-{Guid.NewGuid():N}"[..13];
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = all, Rule = $"cohort = '{environment.Cohort}'" } });
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = premium, Rule = $"cohort = '{environment.Cohort}' and plan = 'premium'" } });
        foreach (var (name, segment) in new[] { ("Overlap A", all), ("Overlap B", premium) })
        {
            await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = new Campaign { Name = $"{name} {segment}", Segment = segment, OfferIds = { environment.Offer.OfferId }, Channels = { Channel.Email } } });
        }

        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/calendar").ToString());
        await page.GetByTestId("calendar").WaitForAsync();
        await InteractiveAsync(page);
        var pair = page.GetByTestId("calendar-overlap-table").GetByRole(AriaRole.Row).Filter(new() { HasText = $"segment {all}" }).Filter(new() { HasText = $"segment {premium}" });
        var both = (ConsoleEnvironment.CohortSize / 2).ToString();
        for (var tries = 0; tries < 30 && await TextOrNullAsync(pair.Locator("td").Nth(2)) != both; tries++)
        {
            // A new segment's members are filled in the background: count again until they are.
            await page.Locator("#calendar-overlap").ClickAsync();
            await Task.Delay(1_000);
        }

        await Assertions.Expect(pair.Locator("td").Nth(2)).ToHaveTextAsync(both, Patiently);
        await ConsoleEnvironment.ScreenshotAsync(page, "calendar-overlap");
    }

    // A cell's text, or null while it is not on the page.
    private static async Task<string?> TextOrNullAsync(ILocator cell)
    {
        try
        {
            return await cell.TextContentAsync(new() { Timeout = 1_000 });
        }
        catch (Exception ex) when (ex is PlaywrightException or System.TimeoutException)
        {
            return null;
        }
    }

    [Fact]
    public async Task ACampaignManagerWritesAnOffersContentPreviewsItRenderedAndSavesIt()
    {
        var page = await GoAsync("campaign-manager", "/offers");
        var id = $"hero-{Guid.NewGuid():N}"[..13];
        await CommitAsync(page, "#offer-id", id);
        await CommitAsync(page, "#offer-name", "Hero banner");
        await ChooseAsync(page, "#offer-channels", "Web");
        await CommitAsync(page, "#offer-placements", "home-hero, cart-banner");
        await page.Locator("#add-content").ClickAsync();
        await CommitAsync(page, "#content-placement-0", "home-hero");

        // A template that does not parse is shown with the field it is in, before anything is saved.
        await CommitAsync(page, "#content-template-0", "<h1>Hello {{ traits.first_name ");
        await CommitAsync(page, "#preview-placement", "home-hero");
        await page.Locator("#preview-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("error")).ToContainTextAsync("offer.contents[0].template");

        await CommitAsync(page, "#content-template-0", "<h1>Hello {{ traits.first_name }}, {{ offer.name }}</h1>");
        await CommitAsync(page, "#preview-traits", "first_name = <Ada>");
        await PreviewUntilAsync(page, "<h1>Hello &lt;Ada&gt;, Hero banner</h1>");
        await Assertions.Expect(page.GetByTestId("preview-frame")).ToBeVisibleAsync();
        await ConsoleEnvironment.ScreenshotAsync(page, "offer-editor");

        // Previewing saved nothing; saving keeps the placements and the template.
        var offers = new OfferService.OfferServiceClient(environment.Server.Channel.Sending(ConsoleEnvironment.Keys["admin"]));
        var notYet = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => offers.GetOfferAsync(new GetOfferRequest { OfferId = id }).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.NotFound, notYet.StatusCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save offer" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("offers")).ToContainTextAsync(id);
        var saved = await offers.GetOfferAsync(new GetOfferRequest { OfferId = id });
        Assert.Equal(["home-hero", "cart-banner"], saved.Placements);
        var content = Assert.Single(saved.Contents);
        Assert.Equal(("home-hero", "<h1>Hello {{ traits.first_name }}, {{ offer.name }}</h1>"), (content.Placement, content.Template));
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        var page = await environment.SignedInAsync("campaign-manager");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByLabel("API key").WaitForAsync();
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/segments").ToString());

        await Assertions.Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormPostWithoutTheAntiForgeryTokenIsRefused()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = environment.ConsoleAddress };

        using var signOut = await http.PostAsync("/signout", new FormUrlEncodedContent([]));
        using var signIn = await http.PostAsync("/signin", new FormUrlEncodedContent([new("_handler", "signin"), new("Input.Key", ConsoleEnvironment.Keys["admin"])]));

        Assert.Equal((System.Net.HttpStatusCode.BadRequest, System.Net.HttpStatusCode.BadRequest), (signOut.StatusCode, signIn.StatusCode));
        Assert.False(signIn.Headers.Contains("Set-Cookie"));
    }

    // A MudTextField commits on blur: fill it, leave it (Tab), and fill again if a re-render of the screen put the old
    // text back before the commit reached the server (seen under load: MudBlazor's input and the 500 ms refresh).
    private static async Task CommitAsync(IPage page, string field, string text)
    {
        var input = page.Locator(field);
        for (var attempt = 1; ; attempt++)
        {
            await input.FillAsync(text);
            await input.PressAsync("Tab");
            try
            {
                await Assertions.Expect(input).ToHaveValueAsync(text, new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    // Previewing saves nothing, so a preview that raced a field's commit is asked again until it shows the text.
    private static async Task PreviewUntilAsync(IPage page, string expected)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator("#preview-button").ClickAsync();
            try
            {
                await Assertions.Expect(page.GetByTestId("preview-text")).ToHaveTextAsync(expected, new() { Timeout = 10_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    // A MudSelect: open it, pick the option by its text, close it.
    private static async Task ChooseAsync(IPage page, string select, string option)
    {
        await page.Locator(select).ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = option }).First.ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        // A multi-select's list can stay open when the key lands while it re-renders (it then covers the next button
        // and takes its click): closed before going on.
        for (var tries = 0; tries < 20 && await page.GetByRole(AriaRole.Option).First.IsVisibleAsync(); tries++)
        {
            await page.Keyboard.PressAsync("Escape");
            await Task.Delay(250);
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Option).First).ToBeHiddenAsync(new() { Timeout = 10_000 });
    }
}
