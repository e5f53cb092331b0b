using System.Diagnostics;
using Personalization.Server.Hosting;
using Personalization.Testing;

namespace Personalization.Server.Tests;

/// <summary>Unknown or malformed configuration stops start-up with a message naming the setting.</summary>
[Collection(ServerCollection.Name)]
public sealed class ConfigurationTests(ServerEnvironment environment)
{
    [Theory]
    [InlineData("Cluster:SiloPrt", "11111", "SiloPrt")]
    [InlineData("Cluster:SiloPort", "eleven", "Cluster:SiloPort")]
    [InlineData("Cluster:Mode", "Zookeeper", "Cluster:Mode")]
    [InlineData("Cluster:AdvertisedAddress", "not-an-ip", "Cluster:AdvertisedAddress")]
    [InlineData("Server:Port", "70000", "Server:Port")]
    [InlineData("Server:ListenAddress", "localhost:80", "Server:ListenAddress")]
    [InlineData("Server:TlsCertificatePath", "/nowhere/cert.pfx", "Server:TlsCertificatePath")]
    [InlineData("Storage:Container", "Bad_Name", "Storage:Container")]
    [InlineData("Storage:ConnectionString", "", "Storage:ConnectionString")]
    [InlineData("Storage:ConnectionString", "nonsense", "Storage:ConnectionString")]
    [InlineData("Decisions:HoldoutShare", "0.9", "Decisions:HoldoutShare")]
    [InlineData("Decisions:QuietFromHour", "25", "Decisions:QuietFromHour")]
    public void ABadSettingStopsStartUpNamingIt(string key, string value, string named)
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings[key] = value;

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void RedisModeWithoutAConnectionStringIsRejected()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Cluster:Mode"] = "Redis";

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings));

        Assert.Contains("Cluster:RedisConnectionString", error.Message);
    }

    [Fact]
    public void AMalformedRedisConnectionStringIsRejected()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Cluster:Mode"] = "Redis";
        settings["Cluster:RedisConnectionString"] = "abortConnect=maybe";

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings));

        Assert.Contains("Cluster:RedisConnectionString", error.Message);
    }

    [Fact]
    public async Task TheServerProcessExitsWithTheSettingInOneLine()
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Personalization.Server.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(server);
        info.ArgumentList.Add("--Cluster:SiloPort=eleven");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Server__Port"] = FreePorts.Next().ToString();

        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("Personalization did not start:", stderr);
        Assert.Contains("Cluster:SiloPort", stderr);
    }
}
