using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Cli.Tests;

/// <summary>The campaign manager's journey path through the CLI: validate, create, activate and read the shipped example.</summary>
[Collection(CliCollection.Name)]
public sealed class JourneyCommandTests(ServerEnvironment environment)
{
    [Fact]
    public async Task TheAbandonedCartExampleIsValidatedCreatedActivatedAndReadFromItsFile()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var endpoint = server.Address.ToString();
        var offer = new Offer { OfferId = "cart-reminder", Name = "Your cart is waiting", Type = OfferType.Discount, Value = 10, Reward = 5, Difficulty = 20, DurationDays = 7, Channels = { Channel.Email, Channel.Push } };
        await new OfferService.OfferServiceClient(server.Channel).CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        var example = Path.Combine(RepositoryPaths.Root, "examples", "journeys", "abandoned-cart.json");
        var file = Path.Combine(Path.GetTempPath(), $"journey-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(example)).Replace("REPLACE-WITH-AN-OFFER-ID", "cart-reminder", StringComparison.Ordinal));

        var asShipped = await CliRunner.RunAsync("journey", "validate", example, "--endpoint", endpoint);
        var valid = await CliRunner.RunAsync("journey", "validate", file, "--endpoint", endpoint);
        var created = await CliRunner.RunAsync("journey", "create", file, "--endpoint", endpoint);
        var twice = await CliRunner.RunAsync("journey", "create", file, "--endpoint", endpoint);
        var activated = await CliRunner.RunAsync("journey", "activate", "abandoned-cart", "--endpoint", endpoint);
        var updated = await CliRunner.RunAsync("journey", "update", file, "--endpoint", endpoint);
        var got = await CliRunner.RunAsync("journey", "get", "abandoned-cart", "--endpoint", endpoint);
        var listed = await CliRunner.RunAsync("journey", "list", "--endpoint", endpoint);
        File.Delete(file);

        Assert.Equal(1, asShipped.ExitCode);
        Assert.Contains("journey.offer_ids: no offer 'REPLACE-WITH-AN-OFFER-ID'.", asShipped.Output);
        Assert.Equal((0, "abandoned-cart: valid"), (valid.ExitCode, valid.Output.Trim()));
        Assert.StartsWith("abandoned-cart: draft v1 (Abandoned cart:", created.Output);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("AlreadyExists: journey.journey_id: a journey 'abandoned-cart' exists.", twice.Error);
        Assert.StartsWith("abandoned-cart: active v1", activated.Output);
        Assert.StartsWith("abandoned-cart: active v2", updated.Output);
        Assert.Contains("entered 0, active 0, completed 0", got.Output);
        Assert.Contains("  wait-1h: reached 0, at it now 0", got.Output);
        Assert.StartsWith("abandoned-cart: active v2", listed.Output);
    }

    [Fact]
    public async Task TheYamlTemplatesValidateFromTheirFilesAndAJourneyWithAGoalPrintsItsResults()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var endpoint = server.Address.ToString();
        var offer = new Offer { OfferId = "template-offer", Name = "Hello", Type = OfferType.Discount, Value = 10, Reward = 5, Difficulty = 20, DurationDays = 7, Channels = { Channel.Email, Channel.Push } };
        await new OfferService.OfferServiceClient(server.Channel).CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        await new SegmentService.SegmentServiceClient(server.Channel).CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = "lapsed-60-days", Rule = "days_since(last_purchase) > 60" } });
        var templates = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "examples", "journeys"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"journeys-{Guid.NewGuid():N}")).FullName;
        foreach (var template in templates)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, Path.GetFileName(template)), (await File.ReadAllTextAsync(template)).Replace("REPLACE-WITH-AN-OFFER-ID", "template-offer", StringComparison.Ordinal));
        }

        var results = new List<(int ExitCode, string Output, string Error)>();
        foreach (var template in templates)
        {
            results.Add(await CliRunner.RunAsync("journey", "validate", Path.Combine(folder, Path.GetFileName(template)), "--endpoint", endpoint));
        }

        var created = await CliRunner.RunAsync("journey", "create", Path.Combine(folder, "birthday.yaml"), "--endpoint", endpoint);
        var got = await CliRunner.RunAsync("journey", "get", "birthday", "--endpoint", endpoint);
        await CliRunner.RunAsync("journey", "create", Path.Combine(folder, "welcome-series.yaml"), "--endpoint", endpoint);
        var experiment = await CliRunner.RunAsync("journey", "get", "welcome-series", "--endpoint", endpoint);
        Directory.Delete(folder, recursive: true);

        Assert.Equal(5, templates.Count); // and the abandoned cart in JSON: the six
        Assert.All(results, r => Assert.Equal((0, "valid"), (r.ExitCode, r.Output.Trim().Split(": ")[^1])));
        Assert.StartsWith("birthday: draft v1 (Birthday greeting)", created.Output);
        Assert.Contains("goal treated: 0 of 0 converted", got.Output);
        Assert.Contains("treated vs holdout: +0.0% [-inf, +inf] (n = 0 / 0)", got.Output);
        Assert.Contains("goal holdout: 0 of 0 converted", got.Output);
        Assert.Contains("), revenue/recipient 0.00", got.Output);
        Assert.Contains("treated vs holdout revenue/recipient: +0.00 [-inf, +inf] (n = 0 / 0)", got.Output);
        Assert.DoesNotContain("sample ratio", got.Output); // no split, no holdout: nothing to check
        Assert.Contains("split day-7: sample ratio p = 1 (ok)", experiment.Output);
        Assert.Contains("holdout draw: sample ratio p = 1 (ok)", experiment.Output);
    }
}
