using System.Text.Json;
using Personalization.Testing;

namespace Personalization.Cli.Tests;

/// <summary>The real offer portfolio and its first profiles, imported through the CLI as a campaign manager would.</summary>
internal static class PortfolioData
{
    /// <summary>Imports the portfolio's offers and its first <paramref name="count"/> profiles; returns the profiles (JSON lines) and the first offer's id.</summary>
    public static async Task<(List<string> Profiles, string FirstOffer)> ImportAsync(string endpoint, int count)
    {
        var data = Path.Combine(RepositoryPaths.Root, "models", "data", "offer-portfolio");
        var profiles = Path.Combine(Path.GetTempPath(), $"profiles-{Guid.NewGuid():N}.json");
        var lines = File.ReadLines(Path.Combine(data, "profile.json")).Take(count).ToList();
        await File.WriteAllLinesAsync(profiles, lines);
        await CliRunner.RunAsync("import", "offers", Path.Combine(data, "portfolio.json"), "--endpoint", endpoint);
        await CliRunner.RunAsync("import", "customers", profiles, "--missing", "age=118", "--missing", "income=", "--date", "became_member_on=yyyyMMdd", "--endpoint", endpoint);
        File.Delete(profiles);
        var offer = JsonDocument.Parse(File.ReadLines(Path.Combine(data, "portfolio.json")).First()).RootElement.GetProperty("id").GetString()!;
        return (lines, offer);
    }
}
