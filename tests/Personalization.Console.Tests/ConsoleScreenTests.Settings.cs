using Microsoft.Playwright;
using Personalization.Console.Api;
using Personalization.Testing;
using Personalization.V1;
using Personalization.V1.Conversions;

namespace Personalization.Console.Tests;

/// <summary>A journey's settings edited on its page, and the lists' pages, driven in the browser against the real server.</summary>
public sealed partial class ConsoleScreenTests
{
    [Fact]
    public async Task ACampaignManagerEditsAJourneysSettingsOnItsPageAndABadValueIsShownAtItsFieldAndChangesNothing()
    {
        var admin = environment.Server.Channel.Sending(ConsoleEnvironment.Keys["admin"]);
        var journeys = new JourneyService.JourneyServiceClient(admin);
        var template = DefinitionFiles.Parse<Journey>(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "examples", "journeys", "abandoned-cart.json")), yaml: false);
        var id = $"edit-{Guid.NewGuid():N}"[..13];
        await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = JourneyTemplates.Instantiate(template, id, "", [environment.Offer.OfferId]) });
        var page = await GoAsync("campaign-manager", $"/journeys/{id}");

        var form = page.GetByTestId("journey-settings");
        for (var tries = 0; tries < 10 && !await form.IsVisibleAsync(); tries++)
        {
            // A click that lands while the screen re-renders its first load is lost on a busy machine: click again while the form is closed.
            await page.Locator("#edit-settings").ClickAsync(new() { Timeout = 5_000 }).ContinueWith(_ => Task.Delay(2_000)).Unwrap();
        }

        await Assertions.Expect(form).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("settings-version-note")).ToContainTextAsync("Saving makes version 2. Customers already in the journey finish on the version they entered");

        // A negative wait: the server's INVALID_ARGUMENT names journey.steps[0].wait.duration, shown at that field; nothing is saved.
        await CommitAsync(page, "#settings-step-0-duration", "-1h");
        var waitField = page.Locator("div.mud-input-control").Filter(new() { Has = page.Locator("#settings-step-0-duration") });
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator("#settings-save").ClickAsync();
            try
            {
                await Assertions.Expect(waitField).ToContainTextAsync("more than 0 and at most 365 days", new() { Timeout = 15_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                // Saving a bad value changes nothing, so a click that was lost is simply made again.
            }
        }

        await form.EvaluateAsync("form => form.scrollIntoView()");
        await ConsoleEnvironment.ScreenshotAsync(page, "journey-settings");
        var unchanged = await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = id });
        Assert.Equal((1, TimeSpan.FromHours(1)), (unchanged.Version, unchanged.Steps[0].Wait.Duration.ToTimeSpan()));

        var name = $"Cart reminder {Guid.NewGuid():N}"[..20];
        await CommitAsync(page, "#settings-step-0-duration", "2h");
        await CommitAsync(page, "#settings-name", name);
        await CommitAsync(page, "#settings-holdout", "0.2");
        await CommitAsync(page, "#settings-max-entries", "3");
        await CommitAsync(page, "#settings-step-2-duration", "2d");
        await ChooseAsync(page, "#settings-step-1-channels", "Email");
        await page.Locator("#settings-save").ClickAsync();

        await Assertions.Expect(page.GetByTestId("settings-saved")).ToContainTextAsync("Saved as version 2", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("journey-diagram").GetByTestId("step-wait-1h")).ToContainTextAsync("wait 2h → remind", new() { Timeout = 60_000 });
        var saved = await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = id });
        Assert.Equal(2, saved.Version);
        Assert.Equal(name, saved.Name);
        Assert.Equal(TimeSpan.FromHours(2), saved.Steps[0].Wait.Duration.ToTimeSpan());
        Assert.Equal([Channel.Email], saved.Steps[1].Send.Channels);
        Assert.Equal(TimeSpan.FromDays(2), saved.Steps[2].WaitForEvent.Timeout.ToTimeSpan());
        Assert.Equal(0.2, saved.HoldoutShare, 6);
        Assert.Equal(3, saved.ReEntry.MaxEntries);
        // What the form did not touch stays as it was.
        Assert.Equal((ReEntryPolicy.AfterPeriod, TimeSpan.FromDays(7)), (saved.ReEntry.Policy, saved.ReEntry.After.ToTimeSpan()));
        Assert.Equal([environment.Offer.OfferId], saved.OfferIds);
        Assert.Equal(template.Steps.Select(s => s.Id), saved.Steps.Select(s => s.Id));
    }

    [Fact]
    public async Task TheOffersListShowsAPageAndMoreBringsTheRestOnceEachAndAPickerOffersAnItemBeyondTheFirstPage()
    {
        var offers = new OfferService.OfferServiceClient(environment.Server.Channel.Sending(ConsoleEnvironment.Keys["admin"]));
        // Ids after every other offer in the shared environment ("zz-"), so the other tests' offers stay on the first page.
        var run = Guid.NewGuid().ToString("N")[..6];
        var created = Enumerable.Range(0, ConsoleEnvironment.PageSize + 5).Select(i => $"zz-{run}-{i:D2}").ToList();
        foreach (var offerId in created)
        {
            await offers.CreateOfferAsync(new CreateOfferRequest { Offer = new Offer { OfferId = offerId, Name = $"Paged {offerId}", Type = OfferType.Discount, Value = 5, Channels = { Channel.Email } } });
        }

        var total = await AllOfferIdsAsync(offers);
        Assert.True(total.Count > ConsoleEnvironment.PageSize);
        var page = await GoAsync("campaign-manager", "/offers");
        var rows = page.GetByTestId("offers").Locator("tbody tr");

        await Assertions.Expect(rows).ToHaveCountAsync(ConsoleEnvironment.PageSize, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("offers-shown")).ToHaveTextAsync($"{ConsoleEnvironment.PageSize} shown, more on the server");
        await page.Locator("#offers-more").ScrollIntoViewIfNeededAsync();
        await ConsoleEnvironment.ScreenshotAsync(page, "offers-paged");
        for (var shown = ConsoleEnvironment.PageSize; shown < total.Count;)
        {
            shown = Math.Min(total.Count, shown + ConsoleEnvironment.PageSize);
            await page.Locator("#offers-more").ClickAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(shown, new() { Timeout = 30_000 });
        }

        await Assertions.Expect(page.Locator("#offers-more")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("offers-shown")).ToHaveTextAsync($"{total.Count} shown");
        var ids = (await rows.Locator("td:first-child .mud-typography-caption").AllTextContentsAsync()).Select(text => text.Trim().Trim('(', ')')).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(total, ids);

        // The campaign screen's offer picker reads every page: the last offer is on none but the last.
        var last = created[^1];
        var firstPage = await offers.ListOffersAsync(new ListOffersRequest { Page = new PageRequest { PageSize = ConsoleEnvironment.PageSize } });
        Assert.DoesNotContain(firstPage.Offers, o => o.OfferId == last);
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/campaigns").ToString());
        await page.Locator("h1").First.WaitForAsync();
        await InteractiveAsync(page);
        await page.Locator("#campaign-offers").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option).Filter(new() { HasText = $"Paged {last}" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await page.Keyboard.PressAsync("Escape");
    }

    // Every live offer's id in the server's order, read page by page over gRPC.
    private static async Task<List<string>> AllOfferIdsAsync(OfferService.OfferServiceClient offers)
    {
        var ids = new List<string>();
        var token = "";
        do
        {
            var response = await offers.ListOffersAsync(new ListOffersRequest { Page = new PageRequest { PageSize = 1000, PageToken = token } });
            ids.AddRange(response.Offers.Select(o => o.OfferId));
            token = response.Page?.NextPageToken ?? "";
        }
        while (token.Length > 0);
        return ids;
    }
}
