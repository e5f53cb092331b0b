using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Contracts.Customers;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;

namespace Personalization.Server.Tests;

/// <summary>Retention on a real server with Azurite: the sweep over the customer index erases customers inactive past the setting and keeps the others.</summary>
[Collection(ServerCollection.Name)]
public sealed class RetentionTests(ServerEnvironment environment)
{
    [Fact]
    public async Task TheSweepErasesACustomerInactiveForLongerThanTheSettingAndKeepsAnActiveOne()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Retention:InactiveCustomerMonths"] = "2";
        settings["Retention:SweepPerSecond"] = "1000";
        settings["Retention:SweepEvery"] = "00:00:01";
        await using var server = await TestServer.StartAsync(settings);
        var (events, profiles) = (new EventService.EventServiceClient(server.Channel), new ProfileService.ProfileServiceClient(server.Channel));
        var (inactive, active) = (NewCustomer(), NewCustomer());
        var batch = new TrackBatchRequest();
        batch.Events.Add(Ev.Session(inactive, DateTime.UtcNow.AddMonths(-3)));
        batch.Events.Add(Ev.Session(active, DateTime.UtcNow.AddMonths(-1)));
        await events.TrackBatchAsync(batch);
        var sweep = server.Services.GetRequiredService<IGrainFactory>().GetGrain<IRetentionSweepGrain>(IRetentionSweepGrain.DefaultKey);

        RetentionProgress progress;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(300);
            progress = await sweep.Progress();
        }
        // A pass that ran between the two customers' index writes has looked at one of them only: wait for a pass
        // that also looked at the active one (Checked counts every pass's customers).
        while ((progress.Erased == 0 || progress.Checked < 2) && DateTime.UtcNow < deadline);

        var erased = await Assert.ThrowsAsync<RpcException>(async () => await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = inactive }));
        Assert.Equal(StatusCode.NotFound, erased.StatusCode);
        Assert.Equal(active, (await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = active })).CustomerId);
        Assert.Equal(1, progress.Erased);
        Assert.True(progress.Checked >= 2);
    }
}
