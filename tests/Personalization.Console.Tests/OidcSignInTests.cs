using Grpc.Core;
using Microsoft.Playwright;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Console.Tests;

/// <summary>
/// OpenID Connect sign-in in a real browser through the test identity provider on loopback: a person's groups
/// give them a role's screens and no more, the console calls the server with its key for that role naming the
/// person, the audit trail records the person, an unmapped group is refused with a page that says why, sign-out
/// ends the session; and the server takes a person only from a key that acts for people.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class OidcSignInTests(ConsoleEnvironment environment)
{
    private static readonly LocatorAssertionsToHaveTextOptions Patiently = new() { Timeout = 60_000 };

    private static TestPerson NewPerson(string name, params string[] groups)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        return new TestPerson($"sub-{id}", name, $"{name.Split(' ')[0].ToLowerInvariant()}-{id}@example.test", groups);
    }

    private static Task InteractiveAsync(IPage page) => ConsoleEnvironment.InteractiveAsync(page);

    [Fact]
    public async Task APersonInTheMarketingGroupSeesOnlyCampaignManagerScreensAndTheAuditTrailNamesThem()
    {
        var person = NewPerson("Alice Martin", "marketing", "everyone");
        var page = await environment.SignedInThroughProviderAsync(person, "/segments");

        await Assertions.Expect(page.GetByTestId("who")).ToHaveTextAsync("Alice Martin · campaign-manager");
        Assert.EndsWith("/segments", page.Url, StringComparison.Ordinal);
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Screens" });
        await Assertions.Expect(menu.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Home", "Segments", "Offers", "Campaigns", "Journeys", "Calendar", "Reports"]);
        await ConsoleEnvironment.ScreenshotAsync(page, "signin-oidc");

        // A change made on the screen goes to the server with the console's campaign-manager key, naming her.
        await InteractiveAsync(page);
        var name = $"oidc-{Guid.NewGuid():N}"[..14];
        await page.Locator("#segment-name").FillAsync(name);
        await page.Locator("#segment-rule").FillAsync($"cohort = '{environment.Cohort}'");
        await Assertions.Expect(page.GetByTestId("preview-count")).ToHaveTextAsync($"Matches {ConsoleEnvironment.CohortSize} of {ConsoleEnvironment.CohortSize} customers", Patiently);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save segment" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId($"members-{name}")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        var audit = new AuditService.AuditServiceClient(environment.Server.Channel.Sending(ConsoleEnvironment.Keys["admin"]));
        var entries = (await audit.SearchAuditAsync(new SearchAuditRequest { KeyName = "console-campaign-manager", Page = new PageRequest { PageSize = 1000 } })).Entries;
        Assert.Contains(entries, e => e.Method.EndsWith("/CreateSegment", StringComparison.Ordinal) && e.OnBehalfOf == person.Email && e.Status == "OK");
        Assert.Contains(entries, e => e.Method.EndsWith("/GetCaller", StringComparison.Ordinal) && e.OnBehalfOf == person.Email);

        // Screens of other roles are refused, and so would their calls be: her calls carry a campaign-manager key.
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/customers").ToString());
        await Assertions.Expect(page.GetByTestId("refused")).ToContainTextAsync("Customers needs the role 'admin'");
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/models").ToString());
        await Assertions.Expect(page.GetByTestId("refused")).ToContainTextAsync("Models needs the role 'data-scientist'");
    }

    [Fact]
    public async Task APersonWhoseGroupsMapToNoRoleIsRefusedWithAPageThatSaysWhy()
    {
        var person = NewPerson("Ivan Intern", "interns");
        var tokensBefore = environment.IdentityProvider.TokensIssued;
        var page = await environment.SignedInThroughProviderAsync(person, "/segments");

        await Assertions.Expect(page.GetByTestId("signin-error")).ToContainTextAsync($"{person.Email} signed in, but none of their groups (interns) is given a console role");
        Assert.True(environment.IdentityProvider.TokensIssued > tokensBefore, "the provider issued an identity token: the refusal is the console's");
        await ConsoleEnvironment.ScreenshotAsync(page, "signin-refused");

        // No session was made: a screen still asks for a sign-in.
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/segments").ToString());
        await Assertions.Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("who")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task APersonInTwoGroupsUsesBothRolesScreensAndSignsOut()
    {
        var person = NewPerson("Dana Scott", "marketing", "analysts");
        var page = await environment.SignedInThroughProviderAsync(person, "/models");

        await Assertions.Expect(page.GetByTestId("who")).ToHaveTextAsync("Dana Scott · campaign-manager, data-scientist");
        // The Models screen's calls go with the console's data-scientist key: the pushed version is listed.
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(environment.ChurnVersion, new() { Timeout = 60_000 });
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/customers").ToString());
        await Assertions.Expect(page.GetByTestId("refused")).ToContainTextAsync("Customers needs the role 'admin'");

        var audit = new AuditService.AuditServiceClient(environment.Server.Channel.Sending(ConsoleEnvironment.Keys["admin"]));
        var signIns = (await audit.SearchAuditAsync(new SearchAuditRequest { Method = "GetCaller", Page = new PageRequest { PageSize = 1000 } })).Entries.Where(e => e.OnBehalfOf == person.Email).Select(e => e.KeyName).ToHashSet();
        Assert.Equal(["console-campaign-manager", "console-data-scientist"], signIns.Order(StringComparer.Ordinal));

        await InteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByLabel("API key").WaitForAsync();
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/models").ToString());
        await Assertions.Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServerTakesAPersonOnlyFromAKeyThatActsForPeople()
    {
        static Metadata Naming(string person) => new() { { "x-on-behalf-of", person } };
        var ownKey = new AccessService.AccessServiceClient(environment.Server.Channel.Sending(ConsoleEnvironment.Keys["campaign-manager"]));
        var consoleKey = new AccessService.AccessServiceClient(environment.Server.Channel.Sending(ConsoleEnvironment.ConsoleKeys["campaign-manager"]));

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await ownKey.GetCallerAsync(new GetCallerRequest(), Naming("mallory@example.test")));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("x-on-behalf-of", refused.Status.Detail, StringComparison.Ordinal);

        var tooLong = await Assert.ThrowsAsync<RpcException>(async () => await consoleKey.GetCallerAsync(new GetCallerRequest(), Naming(new string('a', 257))));
        Assert.Equal(StatusCode.InvalidArgument, tooLong.StatusCode);
        Assert.Contains("x-on-behalf-of", tooLong.Status.Detail, StringComparison.Ordinal);

        // A refused call changes nothing: the segment it would have made does not exist.
        var segment = $"never-{Guid.NewGuid():N}"[..15];
        var segments = new SegmentService.SegmentServiceClient(environment.Server.Channel.Sending(ConsoleEnvironment.Keys["campaign-manager"]));
        var create = await Assert.ThrowsAsync<RpcException>(async () => await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = "true" } }, Naming("mallory@example.test")));
        Assert.Equal(StatusCode.PermissionDenied, create.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await segments.GetSegmentAsync(new GetSegmentRequest { Name = segment }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var caller = await consoleKey.GetCallerAsync(new GetCallerRequest(), Naming("bob@example.test"));
        Assert.Equal(("console-campaign-manager", "bob@example.test"), (caller.KeyName, caller.OnBehalfOf));
        Assert.Equal("", (await ownKey.GetCallerAsync(new GetCallerRequest())).OnBehalfOf);
    }
}
