using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;

namespace Personalization.Server.Tests;

/// <summary>ListProfiles pages through the sharded customer index.</summary>
[Collection(ServerCollection.Name)]
public sealed class ListProfilesTests(ServerEnvironment environment)
{
    private readonly ProfileService.ProfileServiceClient _profiles = new(environment.Shared.Channel);

    private async Task<List<string>> ListAllAsync(int pageSize)
    {
        var all = new List<string>();
        var token = "";
        do
        {
            var page = await _profiles.ListProfilesAsync(new ListProfilesRequest { Page = new PageRequest { PageSize = pageSize, PageToken = token } });
            all.AddRange(page.CustomerIds);
            token = page.Page.NextPageToken;
        }
        while (token != "");

        return all;
    }

    [Fact]
    public async Task EveryStoredCustomerIsListedOnceAndAForgottenOneIsNot()
    {
        var events = new EventService.EventServiceClient(environment.Shared.Channel);
        var customers = Enumerable.Range(0, 5).Select(_ => NewCustomer()).ToList();
        await events.TrackBatchAsync(Batch([.. customers.Select(c => Ev.Purchase(c, DateTime.UtcNow, 1))]));
        await _profiles.ForgetProfileAsync(new ForgetProfileRequest { CustomerId = customers[0] });

        var listed = await ListAllAsync(pageSize: 7);

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.DoesNotContain(customers[0], listed);
        Assert.All(customers.Skip(1), c => Assert.Contains(c, listed));
        var first = await _profiles.ListProfilesAsync(new ListProfilesRequest());
        Assert.Equal(listed.Count, first.Page.TotalSize);
    }

    [Fact]
    public async Task ABadPageTokenIsRejected()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _profiles.ListProfilesAsync(new ListProfilesRequest { Page = new PageRequest { PageToken = "bm9wZQ==" } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
