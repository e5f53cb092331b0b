using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
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
    [InlineData("Storage:Provider", "Cosmos", "Storage:Provider")]
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

    [Theory]
    [InlineData("http://account.blob.core.windows.net")]
    [InlineData("https://account.example.com")]
    [InlineData("account.blob.core.windows.net")]
    public void AServiceUriThatIsNotAnHttpsBlobEndpointIsRejected(string uri)
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings.Remove("Storage:ConnectionString");
        settings["Storage:ServiceUri"] = uri;

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings));

        Assert.StartsWith($"setting 'Storage:ServiceUri' '{uri}' is not an account's blob endpoint", error.Message);
    }

    [Fact]
    public void AConnectionStringAndAServiceUriTogetherAreRejected()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Storage:ServiceUri"] = "https://account.blob.core.windows.net";

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings));

        Assert.StartsWith("setting 'Storage:ServiceUri' and 'Storage:ConnectionString' are both set", error.Message);
    }

    [Fact]
    public void AManagedIdentityWithoutAServiceUriIsRejected()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Storage:ManagedIdentityClientId"] = "5f1c0b3e-8a7d-4c52-9d1e-0f6a2b3c4d5e";

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings));

        Assert.StartsWith("setting 'Storage:ManagedIdentityClientId' needs 'Storage:ServiceUri'", error.Message);
    }

    [Fact]
    public void AServiceUriReachesTheAccountsBlobQueueAndTableEndpointsWithAToken()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings.Remove("Storage:ConnectionString");
        settings["Storage:ServiceUri"] = "https://account.blob.core.windows.net";
        settings["Storage:ManagedIdentityClientId"] = "5f1c0b3e-8a7d-4c52-9d1e-0f6a2b3c4d5e";

        var account = TestServer.Build(settings).Services.GetRequiredService<StorageAccount>();

        Assert.Equal("https://account.blob.core.windows.net/", account.Blobs.Uri.ToString());
        Assert.Equal("https://account.queue.core.windows.net/", account.Queues.Uri.ToString());
        Assert.Equal("https://account.table.core.windows.net/", account.Tables.Uri.ToString());
        Assert.False(account.Blobs.CanGenerateAccountSasUri); // no account key: the token credential signs the calls
    }

    [Fact]
    public void KubernetesHostingNeedsTheMembershipTable()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Cluster:Mode"] = "Localhost";
        settings["Cluster:KubernetesHosting"] = "true";

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings));

        Assert.StartsWith("setting 'Cluster:KubernetesHosting' needs Mode AzureStorage", error.Message);
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
