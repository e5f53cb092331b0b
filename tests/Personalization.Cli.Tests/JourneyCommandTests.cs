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
}
