using Grpc.Core;
using Personalization.Server.Hosting;
using Personalization.Server.Security;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>API keys and roles on a real server: who may call what, and what a refused call leaves behind (nothing).</summary>
[Collection(ServerCollection.Name)]
public sealed class AccessControlTests(ServerEnvironment environment)
{
    private static readonly Dictionary<string, string> Keys = new()
    {
        ["app"] = $"app-{Guid.NewGuid():N}",
        ["campaign-manager"] = $"cm-{Guid.NewGuid():N}",
        ["data-scientist"] = $"ds-{Guid.NewGuid():N}",
        ["admin"] = $"admin-{Guid.NewGuid():N}",
    };

    private Dictionary<string, string?> Settings()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Auth:Enabled"] = "true";
        foreach (var (role, key) in Keys)
        {
            settings[$"Auth:Keys:{role}-key:Sha256"] = ApiKeyInterceptor.Hash(key);
            settings[$"Auth:Keys:{role}-key:Roles:0"] = role;
        }

        return settings;
    }

    private static CallInvoker As(TestServer server, string? role) =>
        server.Channel.Sending(role is null ? null : role == "forged" ? "not-a-key" : Keys[role]);

    private static Offer NewOffer() => new() { OfferId = $"o-{Guid.NewGuid():N}", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = { Channel.Web } };

    [Fact]
    public async Task EachRoleCallsItsServicesAndIsDeniedTheOthers()
    {
        await using var server = await TestServer.StartAsync(Settings());

        async Task<StatusCode> Status(Func<Task> call)
        {
            try
            {
                await call();
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        }

        Task<StatusCode> Track(string? role) => Status(async () => await new EventService.EventServiceClient(As(server, role)).TrackAsync(new TrackRequest { Event = Ev.Session($"c-{Guid.NewGuid():N}", DateTime.UtcNow) }));
        Task<StatusCode> CreateOffer(string? role) => Status(async () => await new OfferService.OfferServiceClient(As(server, role)).CreateOfferAsync(new CreateOfferRequest { Offer = NewOffer() }));
        Task<StatusCode> ListModels(string? role) => Status(async () => await new ModelService.ModelServiceClient(As(server, role)).ListModelsAsync(new ListModelsRequest()));
        Task<StatusCode> ListProfiles(string? role) => Status(async () => await new ProfileService.ProfileServiceClient(As(server, role)).ListProfilesAsync(new ListProfilesRequest()));

        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated), (await Track(null), await Track("forged")));
        Assert.Equal((StatusCode.OK, StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.PermissionDenied),
            (await Track("app"), await CreateOffer("app"), await ListModels("app"), await ListProfiles("app")));
        Assert.Equal((StatusCode.PermissionDenied, StatusCode.OK, StatusCode.PermissionDenied), (await Track("campaign-manager"), await CreateOffer("campaign-manager"), await ListModels("campaign-manager")));
        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.OK), (await Track("data-scientist"), await CreateOffer("data-scientist"), await ListModels("data-scientist")));
        Assert.Equal((StatusCode.OK, StatusCode.OK, StatusCode.OK, StatusCode.OK), (await Track("admin"), await CreateOffer("admin"), await ListModels("admin"), await ListProfiles("admin")));

        // Probes and diagnostics need no key.
        var health = await new global::Grpc.Health.V1.Health.HealthClient(server.Channel).CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest());
        var ping = await new PingService.PingServiceClient(server.Channel).PingAsync(new PingRequest());
        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.NotEmpty(ping.Info.GatewaySilo);
    }

    [Fact]
    public async Task ARefusedCallChangesNothingAndSaysWhy()
    {
        await using var server = await TestServer.StartAsync(Settings());
        var offer = NewOffer();

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await new OfferService.OfferServiceClient(As(server, "app")).CreateOfferAsync(new CreateOfferRequest { Offer = offer }));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await new OfferService.OfferServiceClient(As(server, "admin")).GetOfferAsync(new GetOfferRequest { OfferId = offer.OfferId }));

        Assert.Equal("key 'app-key' has roles [app]; /personalization.v1.OfferService/CreateOffer needs 'campaign-manager' (or admin).", denied.Status.Detail);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AnyKnownKeyLearnsItsOwnRolesAndNoKeyIsRefused()
    {
        await using var server = await TestServer.StartAsync(Settings());
        Task<Caller> Who(string? role) => new AccessService.AccessServiceClient(As(server, role)).GetCallerAsync(new GetCallerRequest()).ResponseAsync;

        var manager = await Who("campaign-manager");
        var app = await Who("app");
        var missing = await Assert.ThrowsAsync<RpcException>(() => Who(null));
        var forged = await Assert.ThrowsAsync<RpcException>(() => Who("forged"));

        Assert.Equal(("campaign-manager-key", "campaign-manager", true), (manager.KeyName, string.Join(",", manager.Roles), manager.AccessControl));
        Assert.Equal(("app-key", "app"), (app.KeyName, string.Join(",", app.Roles)));
        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated), (missing.StatusCode, forged.StatusCode));
    }

    [Fact]
    public async Task WithoutAccessControlTheCallerIsAnonymousWithEveryRole()
    {
        var caller = await new AccessService.AccessServiceClient(environment.Shared.Channel).GetCallerAsync(new GetCallerRequest());

        Assert.Equal(("anonymous", false), (caller.KeyName, caller.AccessControl));
        Assert.Equal(Roles.All.Order(StringComparer.Ordinal), caller.Roles);
    }

    [Theory]
    [InlineData("Production", "false", true, "Auth:Enabled")]
    [InlineData("Development", "true", false, "Auth:Keys")]
    public void ProductionNeedsKeysAndEnabledNeedsAKey(string environmentName, string enabled, bool withKey, string setting)
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Auth:Enabled"] = enabled;
        if (withKey)
        {
            settings["Auth:Keys:k:Sha256"] = ApiKeyInterceptor.Hash("k");
            settings["Auth:Keys:k:Roles:0"] = "admin";
        }

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings, environmentName: environmentName));

        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public void AKeyWithoutAHashOrWithAnUnknownRoleStopsStartUp()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Auth:Enabled"] = "true";
        settings["Auth:Keys:k:Sha256"] = "abc";
        settings["Auth:Keys:k:Roles:0"] = "root";

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings));

        Assert.Contains("Auth:Keys:k:Sha256", error.Message);
        Assert.Contains("Auth:Keys:k:Roles", error.Message);
    }
}
