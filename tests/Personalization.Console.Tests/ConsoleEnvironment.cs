using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Microsoft.Playwright;
using Personalization.Scoring.Bundles;
using Personalization.Server.Security;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Console.Tests;

/// <summary>
/// One real server (silo on Azurite, access control on, a key per role) with a few customers and an
/// offer, a test OpenID Connect provider on loopback, the console started as its own process beside them
/// (both sign-ins configured: API keys, and the provider with a console key per role that acts for people),
/// and headless Chromium, shared by the tests.
/// </summary>
public sealed class ConsoleEnvironment : IAsyncLifetime
{
    /// <summary>A key per role, as a person would paste it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["admin"] = $"admin-{Guid.NewGuid():N}",
        ["campaign-manager"] = $"cm-{Guid.NewGuid():N}",
        ["data-scientist"] = $"ds-{Guid.NewGuid():N}",
    };

    /// <summary>The console's key per role for people signed in through OpenID Connect (server keys with ActsForPeople).</summary>
    public static readonly IReadOnlyDictionary<string, string> ConsoleKeys = new Dictionary<string, string>
    {
        ["admin"] = $"console-admin-{Guid.NewGuid():N}",
        ["campaign-manager"] = $"console-cm-{Guid.NewGuid():N}",
        ["data-scientist"] = $"console-ds-{Guid.NewGuid():N}",
    };

    /// <summary>The identity provider's groups the console maps to roles.</summary>
    public static readonly IReadOnlyDictionary<string, string> GroupRoles = new Dictionary<string, string>
    {
        ["marketing"] = "campaign-manager",
        ["analysts"] = "data-scientist",
        ["it-admins"] = "admin",
    };

    /// <summary>The console's page size in these tests (Console:PageSize; its default).</summary>
    public const int PageSize = 50;

    /// <summary>How many customers the cohort has.</summary>
    public const int CohortSize = 40;

    private readonly AzuriteFixture _azurite = new() { Persistent = true }; // on disk: see AzuriteFixture
    private ServerProcess? _console;
    private IPlaywright? _playwright;

    /// <summary>The test OpenID Connect provider the console signs people in through.</summary>
    public TestIdentityProvider IdentityProvider { get; } = new();

    /// <summary>The server.</summary>
    public TestServer Server { get; private set; } = null!;

    /// <summary>Where the console listens.</summary>
    public Uri ConsoleAddress { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The seeded customers' shared trait value (rules select them with <c>cohort = '…'</c>).</summary>
    public string Cohort { get; } = $"c{Guid.NewGuid():N}"[..12];

    /// <summary>The seeded customers.</summary>
    public List<string> Customers { get; } = [];

    /// <summary>The seeded offer.</summary>
    public Offer Offer { get; } = new() { OfferId = $"o-{Guid.NewGuid():N}"[..14], Name = "Winter 10% off", Type = OfferType.Discount, Value = 10, Reward = 5, Difficulty = 20, DurationDays = 7, Channels = { Channel.Email, Channel.Web }, Tags = { "winter" } };

    /// <summary>Where the tests save what the screens looked like.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var settings = TestServer.Settings(_azurite);
        settings["Auth:Enabled"] = "true";
        foreach (var (role, key) in Keys)
        {
            settings[$"Auth:Keys:{role}-key:Sha256"] = ApiKeyInterceptor.Hash(key);
            settings[$"Auth:Keys:{role}-key:Roles:0"] = role;
        }

        foreach (var (role, key) in ConsoleKeys)
        {
            settings[$"Auth:Keys:console-{role}:Sha256"] = ApiKeyInterceptor.Hash(key);
            settings[$"Auth:Keys:console-{role}:Roles:0"] = role;
            settings[$"Auth:Keys:console-{role}:ActsForPeople"] = "true";
        }

        // Members over time: sampled every 5 seconds here (15 minutes by default), so a test sees samples soon without loading the server.
        settings["SegmentHistory:Every"] = "00:00:05";
        Server = await TestServer.StartAsync(settings);
        await SeedAsync();
        await IdentityProvider.StartAsync();

        var port = FreePorts.Next();
        ConsoleAddress = new Uri($"http://127.0.0.1:{port}");
        var bin = ConsoleBinaries();
        List<string> arguments =
        [
            Path.Combine(bin, "Personalization.Console.dll"), "--urls", ConsoleAddress.ToString().TrimEnd('/'), "--Console:ServerAddress", Server.Address.ToString().TrimEnd('/'), "--Console:RefreshMilliseconds", "500", "--Console:PageSize", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Console:Oidc:Authority", IdentityProvider.Issuer.ToString().TrimEnd('/'), "--Console:Oidc:ClientId", TestIdentityProvider.ClientId,
            "--Console:Oidc:ClientSecret", TestIdentityProvider.ClientSecret, "--Console:Oidc:RequireHttpsMetadata", "false", "--Console:Oidc:DisplayName", "the test provider",
        ];
        foreach (var (group, role) in GroupRoles)
        {
            arguments.AddRange([$"--Console:Oidc:GroupRoles:{group}", role]);
        }

        foreach (var (role, key) in ConsoleKeys)
        {
            arguments.AddRange([$"--Console:Oidc:RoleKeys:{role}", key]);
        }

        _console = await ServerProcess.StartAsync("dotnet", [.. arguments], port, bin);

        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium(), Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A fresh browser window signed in with the role's key (times shown in Europe/Paris).</summary>
    public async Task<IPage> SignedInAsync(string role)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(ConsoleAddress, "/signin").ToString());
        await page.GetByLabel("API key").FillAsync(Keys[role]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByTestId("who").WaitForAsync();
        return page;
    }

    /// <summary>
    /// A fresh browser window signed in through the test identity provider as <paramref name="person"/>: the sign-in
    /// page's button, the provider's approval and the way back, as a browser follows them. Returns on the page the
    /// console lands on (a screen, or the sign-in page saying why it refused).
    /// </summary>
    public async Task<IPage> SignedInThroughProviderAsync(TestPerson person, string path = "/")
    {
        IdentityProvider.Person = person;
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(ConsoleAddress, path).ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with the test provider" }).ClickAsync();
        await page.Locator("[data-testid=who], [data-testid=signin-error]").First.WaitForAsync(new() { Timeout = 60_000 });
        return page;
    }

    /// <summary>
    /// Waits for a page's live connection: a page is prerendered, and a click that lands before the connection is up
    /// reaches no handler (the layout renders its marker only once interactive).
    /// </summary>
    public static Task InteractiveAsync(IPage page) =>
        page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });

    /// <summary>A fresh browser window at laptop size, not signed in.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, TimezoneId = "Europe/Paris", Locale = "en-GB" });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves what the page shows now under the test output's screenshots/ folder.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = false });

    private async Task SeedAsync()
    {
        var events = new EventService.EventServiceClient(Server.Channel.Sending(Keys["admin"]));
        var batch = new TrackBatchRequest();
        var at = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(-1));
        for (var i = 0; i < CohortSize; i++)
        {
            var id = $"{Cohort}-{i:D3}";
            Customers.Add(id);
            var traits = new Event { EventId = Guid.NewGuid().ToString("N"), CustomerId = id, Type = EventType.TraitsSet, OccurredAt = at, Traits = new TraitsDetail() };
            traits.Traits.Traits["cohort"] = new Value { StringValue = Cohort };
            traits.Traits.Traits["plan"] = new Value { StringValue = i % 2 == 0 ? "premium" : "basic" };
            batch.Events.Add(traits);
            batch.Events.Add(new Event { EventId = Guid.NewGuid().ToString("N"), CustomerId = id, Type = EventType.ConsentGranted, Channel = Channel.Email, OccurredAt = at, Consent = new ConsentDetail { Purpose = "marketing" } });
        }

        var tracked = await events.TrackBatchAsync(batch);
        Assert.Empty(tracked.Rejected);
        await new OfferService.OfferServiceClient(Server.Channel.Sending(Keys["admin"])).CreateOfferAsync(new CreateOfferRequest { Offer = Offer });

        // The shipped churn model under a version of its own, pushed (staged) for the data scientist's screen.
        var shipped = ModelBundle.Read(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "models", "churn"), "*.zip").Single());
        var bundle = (shipped with { Manifest = shipped.Manifest with { Version = $"churn-console-{Guid.NewGuid():N}"[..22] } }).ToBytes();
        using var push = new ModelService.ModelServiceClient(Server.Channel.Sending(Keys["data-scientist"])).PushModel();
        await push.RequestStream.WriteAsync(new PushModelChunk { Header = new PushModelHeader { Kind = Personalization.V1.ModelKind.Churn, Sha256 = ModelBundle.Sha256(bundle), SizeBytes = bundle.Length } });
        await push.RequestStream.WriteAsync(new PushModelChunk { Data = Google.Protobuf.ByteString.CopyFrom(bundle) });
        await push.RequestStream.CompleteAsync();
        ChurnVersion = (await push).Version;
    }

    /// <summary>The version of the pushed churn bundle.</summary>
    public string ChurnVersion { get; private set; } = "";

    // The console's own build output, of the same configuration as these tests.
    private static string ConsoleBinaries()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var bin = Path.Combine(RepositoryPaths.Root, "src", "Personalization.Console", "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(bin, "Personalization.Console.dll")) ? bin : throw new InvalidOperationException($"Build the console first: {bin} has no Personalization.Console.dll.");
    }

    private static string Chromium()
    {
        var path = Environment.GetEnvironmentVariable("PERSONALIZATION_CHROMIUM") ?? "/usr/bin/chromium";
        return File.Exists(path) ? path : throw new InvalidOperationException($"Chromium not found at {path}: apt-get install -y chromium (deploy/local/test.sh does), or set PERSONALIZATION_CHROMIUM.");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_console is not null)
        {
            await _console.DisposeAsync();
        }

        await IdentityProvider.DisposeAsync();

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}

/// <summary>The tests that share one console environment (run one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleEnvironment>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "console";
}
