using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Cli.Tests.Import;

/// <summary>The real data sets import through the CLI into a real server.</summary>
[Collection(CliCollection.Name)]
public sealed class ImportCommandTests(ServerEnvironment environment)
{
    private readonly string _endpoint = environment.Shared.Address.ToString();

    private static string DataFile(params string[] parts) => Path.Combine([RepositoryPaths.Root, "models", "data", .. parts]);

    [Fact]
    public async Task TheTelcoChurnFileImportsEveryCustomer()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("import", "customers", DataFile("telco-churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv"), "--endpoint", _endpoint);
        var profile = await new ProfileService.ProfileServiceClient(environment.Shared.Channel).GetProfileAsync(new GetProfileRequest { CustomerId = "7590-VHVEG" });

        Assert.Equal(0, exitCode);
        Assert.Contains("7043 rows read: 7043 accepted, 0 already imported, 0 rejected.", output);
        Assert.Equal("Female", profile.Traits["gender"].StringValue);
        Assert.Equal(1, profile.Traits["tenure"].IntValue);
        Assert.Equal(29.85, profile.Traits["monthly_charges"].DoubleValue);
        Assert.False(profile.Traits["churn"].BoolValue);
    }

    [Fact]
    public async Task TheSeventeenThousandProfilesImportAndASecondRunChangesNothing()
    {
        string[] args = ["import", "customers", DataFile("offer-portfolio", "profile.json"), "--missing", "age=118", "--date", "became_member_on=yyyyMMdd", "--endpoint", _endpoint];

        var first = await CliRunner.RunAsync(args);
        var second = await CliRunner.RunAsync(args);
        var profile = await new ProfileService.ProfileServiceClient(environment.Shared.Channel).GetProfileAsync(new GetProfileRequest { CustomerId = "0610b486422d4921ae7d2bf64640c50b" });
        var unknownAge = await new ProfileService.ProfileServiceClient(environment.Shared.Channel).GetProfileAsync(new GetProfileRequest { CustomerId = "68be06ca386d4c31939f3a4f0e3dd783" });

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("17000 rows read: 17000 accepted, 0 already imported, 0 rejected.", first.Output);
        Assert.Contains("17000 rows read: 0 accepted, 17000 already imported, 0 rejected.", second.Output);
        Assert.Equal("F", profile.Traits["gender"].StringValue);
        Assert.Equal(55, profile.Traits["age"].IntValue);
        Assert.Equal(112000, profile.Traits["income"].IntValue);
        Assert.Equal(new DateTime(2017, 7, 15, 0, 0, 0, DateTimeKind.Utc), profile.Traits["became_member_on"].TimestampValue.ToDateTime());
        Assert.False(unknownAge.Traits.ContainsKey("age"));
    }

    [Fact]
    public async Task RejectedRowsAreCountedWithTheirLineAndReason()
    {
        var file = Path.Combine(Path.GetTempPath(), $"import-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, $"customer_id,plan,score\nok-{Guid.NewGuid():N},gold,1\n,silver,2\nbad-{Guid.NewGuid():N},bronze\n");

        var (exitCode, output, _) = await CliRunner.RunAsync("import", "customers", file, "--endpoint", _endpoint);
        File.Delete(file);

        Assert.Equal(1, exitCode);
        Assert.Contains("3 rows read: 1 accepted, 0 already imported, 2 rejected.", output);
        Assert.Contains("line 3: has no customer id in customer_id", output);
        Assert.Contains("line 4: has 2 fields, the header has 3", output);
    }

    [Fact]
    public async Task TheOfferPortfolioImportsAndASecondRunUpdates()
    {
        var first = await CliRunner.RunAsync("import", "offers", DataFile("offer-portfolio", "portfolio.json"), "--endpoint", _endpoint);
        var second = await CliRunner.RunAsync("import", "offers", DataFile("offer-portfolio", "portfolio.json"), "--endpoint", _endpoint);
        var bogo = await new OfferService.OfferServiceClient(environment.Shared.Channel).GetOfferAsync(new GetOfferRequest { OfferId = "ae264e3637204a6fb9bb56bc8210ddfd" });

        Assert.Equal(0, first.ExitCode);
        Assert.Equal("10 offers: 10 created, 0 updated.", first.Output.Trim());
        Assert.Equal("10 offers: 0 created, 10 updated.", second.Output.Trim());
        Assert.Equal(OfferType.Bogo, bogo.Type);
        Assert.Equal(10, bogo.Reward);
        Assert.Equal(7, bogo.DurationDays);
        Assert.Equal([Channel.Email, Channel.Push, Channel.InApp, Channel.Social], bogo.Channels);
    }
}
