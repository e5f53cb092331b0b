using Grpc.Core;
using Microsoft.Playwright;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Console.Tests;

/// <summary>
/// A segment's members over time: the server samples every segment's count (every 5 seconds in this environment)
/// and answers <c>GetSegmentHistory</c>; the Segments screen shows the history as a chart with its numbers.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SegmentHistoryTests(ConsoleEnvironment environment)
{
    private SegmentService.SegmentServiceClient Segments(string role) => new(environment.Server.Channel.Sending(ConsoleEnvironment.Keys[role]));

    private async Task<string> NewSegmentAsync()
    {
        var name = $"hist-{Guid.NewGuid():N}"[..14];
        await Segments("admin").CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = name, Rule = $"cohort = '{environment.Cohort}'" } });
        return name;
    }

    [Fact]
    public async Task TheServerKeepsASegmentsCountsOverTimeAndRefusesABadName()
    {
        var name = await NewSegmentAsync();
        var segments = Segments("campaign-manager");

        // Poll: the sampler runs on its own period, and the backfill fills the segment meanwhile.
        SegmentHistory history;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        do
        {
            history = await segments.GetSegmentHistoryAsync(new GetSegmentHistoryRequest { Name = name });
            if (history.Samples.Any(s => s.MemberCount == ConsoleEnvironment.CohortSize))
            {
                break;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal((name, 5L), (history.Name, history.EverySeconds));
        Assert.Contains(history.Samples, s => s.MemberCount == ConsoleEnvironment.CohortSize);
        Assert.Equal(history.Samples.OrderBy(s => s.At.ToDateTimeOffset()).Select(s => s.At), history.Samples.Select(s => s.At));

        var bad = await Assert.ThrowsAsync<RpcException>(async () => await segments.GetSegmentHistoryAsync(new GetSegmentHistoryRequest { Name = "Not A Name" }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.StartsWith("name:", bad.Status.Detail, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await segments.GetSegmentHistoryAsync(new GetSegmentHistoryRequest { Name = $"none-{Guid.NewGuid():N}"[..14] }));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await Segments("data-scientist").GetSegmentHistoryAsync(new GetSegmentHistoryRequest { Name = name }));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task ACampaignManagerSeesASegmentsMembersOverTime()
    {
        var name = await NewSegmentAsync();
        var page = await environment.SignedInAsync("campaign-manager");
        await page.GotoAsync(new Uri(environment.ConsoleAddress, "/segments").ToString());
        await ConsoleEnvironment.InteractiveAsync(page);

        var history = page.GetByTestId("history");
        var button = page.GetByRole(AriaRole.Button, new() { Name = $"Members over time of {name}" });
        for (var tries = 0; tries < 10 && await history.CountAsync() == 0; tries++)
        {
            // A click that lands while the screen re-renders its first load is lost on a busy machine: click again until the panel opens.
            await button.ClickAsync(new() { Timeout = 60_000 });
            await history.WaitForAsync(new() { Timeout = 5_000 }).ContinueWith(_ => { });
        }

        await Assertions.Expect(history).ToContainTextAsync($"Members of {name} over time");
        // The chart's numbers as text: a sample of all 40 members arrives within a few sampling periods.
        await Assertions.Expect(history.Locator("figcaption")).ToContainTextAsync($" {ConsoleEnvironment.CohortSize}", new() { Timeout = 90_000 });
        await Assertions.Expect(history).ToContainTextAsync("Counted every 5 seconds");
        await ConsoleEnvironment.ScreenshotAsync(page, "segment-history");
    }
}
