using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>With a certificate configured, the server speaks gRPC over TLS.</summary>
[Collection(ServerCollection.Name)]
public sealed class TlsTests(ServerEnvironment environment)
{
    [Fact]
    public async Task ACertificateInConfigurationServesTls()
    {
        using var certificate = SelfSigned();
        var path = Path.Combine(Path.GetTempPath(), $"personalization-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "secret"));
        var settings = TestServer.Settings(environment.Azurite);
        settings["Server:TlsCertificatePath"] = path;
        settings["Server:TlsCertificatePassword"] = "secret";

        await using var server = await TestServer.StartAsync(settings);
        using var handler = new SocketsHttpHandler();
        // Trust exactly this certificate, as a client pinned to a private CA would.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = handler });
        var reply = await new PingService.PingServiceClient(channel).PingAsync(new PingRequest());

        Assert.Equal("https", server.Address.Scheme);
        Assert.NotEmpty(reply.Info.GatewaySilo);
        File.Delete(path);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
