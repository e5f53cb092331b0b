using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Queues;
using Duration = Google.Protobuf.WellKnownTypes.Duration;
using Personalization.Decisioning.Journeys;
using Personalization.Testing;
using Personalization.V1;
using Personalization.V1.Conversions;

namespace Personalization.Server.Tests;

/// <summary>
/// The six shipped templates (examples/journeys), each end to end over gRPC against one real server
/// on Azurite, run side by side to keep the time down: entries (event, segment join, yearly date),
/// waits and timeouts (shortened to seconds; the local-time and best-hour waits are replaced by
/// short durations here, their arithmetic is covered by the pure tests), exits, the split and the
/// holdout, and goal conversions with their intervals. All six are live on the one server, so each
/// admits only its own scenario's customers (an entry rule on a cohort trait is added).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class JourneyTemplateTests(ServerEnvironment environment)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private sealed record Context(
        EventService.EventServiceClient Events,
        JourneyService.JourneyServiceClient Journeys,
        SegmentService.SegmentServiceClient Segments,
        string Offer,
        Deliveries Sent);

    /// <summary>Takes every message off the server's email and push queues and keeps them by journey.</summary>
    private sealed class Deliveries(params QueueClient[] queues) : IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string Journey, JsonElement Delivery)> _seen = new();
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;

        public void Start() => _loop = Task.Run(async () =>
        {
            foreach (var queue in queues)
            {
                await queue.CreateIfNotExistsAsync();
            }

            while (!_stop.IsCancellationRequested)
            {
                foreach (var queue in queues)
                {
                    foreach (var message in (await queue.ReceiveMessagesAsync(32)).Value)
                    {
                        var body = JsonDocument.Parse(message.Body.ToString()).RootElement.Clone();
                        foreach (var delivery in body.GetProperty("deliveries").EnumerateArray())
                        {
                            _seen.Enqueue((body.GetProperty("campaign_id").GetString()!, delivery));
                        }

                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    }
                }

                await Task.Delay(200);
            }
        });

        public List<JsonElement> To(string journeyId, string customer) =>
            [.. _seen.Where(d => d.Journey == $"journey:{journeyId}" && d.Delivery.GetProperty("customer_id").GetString() == customer).Select(d => d.Delivery)];

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await (_loop ?? Task.CompletedTask);
        }
    }

    /// <summary>A template with this run's id, offer and (where asked) segment, its durations cut to seconds.</summary>
    private static Journey Template(string file, string offer, Func<TimeSpan, TimeSpan> shorten)
    {
        var path = Path.Combine(RepositoryPaths.Root, "examples", "journeys", file);
        var journey = DefinitionFiles.Parse<Journey>(File.ReadAllText(path), DefinitionFiles.IsYaml(path));
        journey.JourneyId = $"{journey.JourneyId}-{Guid.NewGuid():N}"[..40];
        journey.Entry.Rule = journey.Entry.Rule.Length > 0 ? $"({journey.Entry.Rule}) and cohort = '{journey.JourneyId}'" : $"cohort = '{journey.JourneyId}'";
        journey.OfferIds.Clear();
        journey.OfferIds.Add(offer);
        foreach (var step in journey.Steps)
        {
            if (step.Wait is { } wait)
            {
                var length = wait.UntilBestHour || wait.UntilLocalTime.Length > 0 ? TimeSpan.FromSeconds(1) : shorten(wait.Duration.ToTimeSpan());
                (wait.UntilBestHour, wait.UntilLocalTime, wait.Duration) = (false, "", Duration.FromTimeSpan(length));
            }

            if (step.WaitForEvent is { } waitFor)
            {
                waitFor.Timeout = Duration.FromTimeSpan(shorten(waitFor.Timeout.ToTimeSpan()));
            }
        }

        return journey;
    }

    private static async Task<Journey> StartAsync(Context c, Journey journey)
    {
        var created = await c.Journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = journey });
        await c.Journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = created.JourneyId });
        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // every silo's cached definitions
        return created;
    }

    /// <summary>Customer ids in the journey's treated group (or its holdout), reachable by email and push at local noon.</summary>
    private static async Task<List<string>> CustomersAsync(Context c, Journey journey, int count, bool holdout = false)
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => $"t-{Guid.NewGuid():N}")
            .Where(id => JourneySteps.InHoldout(journey.JourneyId, id, journey.HoldoutShare) == holdout)
            .Take(count)
            .ToList();
        foreach (var id in ids)
        {
            await JourneyTests.ReachableCustomerAsync(c.Events, id);
            await TrackAsync(c, Ev.Traits(id, DateTime.UtcNow.AddMinutes(-1), ("cohort", new Value { StringValue = journey.JourneyId })));
        }

        return ids;
    }

    private static async Task<Journey> UntilAsync(Context c, Journey journey, Func<Journey, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var now = await c.Journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = journey.JourneyId });
            if (done(now) || DateTime.UtcNow > deadline)
            {
                return now;
            }

            await Task.Delay(300);
        }
    }

    private static ArmResult Group(Journey journey, string name) => journey.Stats.Goal.Groups.Single(g => g.Name == name);

    private static long SentAt(Journey journey, string step) => journey.Stats.Steps.Single(s => s.StepId == step).Sent.Sum(r => r.Count);

    private static Task TrackAsync(Context c, Event e) => c.Events.TrackAsync(new TrackRequest { Event = e }).ResponseAsync;

    [Fact]
    public async Task TheSixTemplatesRunEndToEndWithExitsAndGoals()
    {
        var settings = TestServer.Settings(environment.Azurite);
        await using var server = await TestServer.StartAsync(settings);
        var prefix = settings["Storage:QueuePrefix"];
        await using var sent = new Deliveries(
            new QueueClient(environment.Azurite.ConnectionString, $"{prefix}-email"),
            new QueueClient(environment.Azurite.ConnectionString, $"{prefix}-push"));
        sent.Start();
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(server.Channel), Channel.Email, Channel.Push);
        var c = new Context(
            new EventService.EventServiceClient(server.Channel),
            new JourneyService.JourneyServiceClient(server.Channel),
            new SegmentService.SegmentServiceClient(server.Channel),
            offer,
            sent);

        await Task.WhenAll(
            AbandonedCartAsync(c),
            BrowseAbandonmentAsync(c),
            WelcomeSeriesAsync(c),
            WinBackAsync(c),
            PostPurchaseReviewAsync(c),
            BirthdayAsync(c));
    }

    // The cart left gets the reminder and, with no purchase before the timeout, the discount; the buyer exits with nothing and converts.
    private static async Task AbandonedCartAsync(Context c)
    {
        var journey = await StartAsync(c, Template("abandoned-cart.json", c.Offer, _ => TimeSpan.FromSeconds(2)));
        var (abandoner, buyer) = (await CustomersAsync(c, journey, 2)) is var ids ? (ids[0], ids[1]) : default;

        await TrackAsync(c, Ev.Cart(abandoner, EventType.AddToCart, DateTime.UtcNow, "p1", 1, 30));
        await TrackAsync(c, Ev.Cart(buyer, EventType.AddToCart, DateTime.UtcNow, "p1", 1, 30));
        await TrackAsync(c, Ev.Purchase(buyer, DateTime.UtcNow, 30));
        // The results count a send when it is queued; the webhook receives it a moment later: wait for both.
        var done = await UntilAsync(c, journey, j => SentAt(j, "discount") == 1 && j.Stats.Goal?.Groups.Sum(g => g.Conversions) == 1
            && c.Sent.To(journey.JourneyId, abandoner).Count == 2);

        Assert.Equal(["remind", "discount"], c.Sent.To(journey.JourneyId, abandoner).Select(d => d.GetProperty("delivery_id").GetString()!.Split(':')[^1]));
        Assert.Empty(c.Sent.To(journey.JourneyId, buyer));
        Assert.Equal(1, JourneyTests.Ended(done.Stats, "EXIT_EVENT"));
        Assert.Equal((2L, 1L), (Group(done, "treated").Members, Group(done, "treated").Conversions));
    }

    // A view not followed by a cart of that product gets the nudge; carting it completes quietly (and is the goal); a purchase exits.
    private static async Task BrowseAbandonmentAsync(Context c)
    {
        var journey = await StartAsync(c, Template("browse-abandonment.yaml", c.Offer, _ => TimeSpan.FromSeconds(2)));
        var (viewer, carter, buyer) = (await CustomersAsync(c, journey, 3)) is var ids ? (ids[0], ids[1], ids[2]) : default;

        foreach (var id in new[] { viewer, carter, buyer })
        {
            var view = Ev.Of(id, EventType.ProductView, DateTime.UtcNow, Channel.Web);
            view.Product = new ProductDetail { ProductId = "p9", Category = "shoes" };
            await TrackAsync(c, view);
        }

        await TrackAsync(c, Ev.Cart(carter, EventType.AddToCart, DateTime.UtcNow, "p9", 1, 50));
        await TrackAsync(c, Ev.Purchase(buyer, DateTime.UtcNow, 50));
        var done = await UntilAsync(c, journey, j => SentAt(j, "nudge") == 1 && j.Stats.Completed == 2);

        Assert.Single(c.Sent.To(journey.JourneyId, viewer));
        Assert.Empty(c.Sent.To(journey.JourneyId, carter));
        Assert.Empty(c.Sent.To(journey.JourneyId, buyer));
        Assert.Equal(1, JourneyTests.Ended(done.Stats, "EXIT_EVENT"));
        Assert.Equal((3L, 1L), (Group(done, "treated").Members, Group(done, "treated").Conversions));
    }

    // Day 0, 3 and 7 (seconds here) with the day-7 experiment: treated entrants get three messages, the
    // holdout none; results per arm and for the holdout, with sample sizes and intervals.
    private static async Task WelcomeSeriesAsync(Context c)
    {
        var journey = await StartAsync(c, Template("welcome-series.yaml", c.Offer, _ => TimeSpan.FromSeconds(1)));
        var treated = await CustomersAsync(c, journey, 8);
        var held = await CustomersAsync(c, journey, 2, holdout: true);

        foreach (var id in treated.Concat(held))
        {
            await TrackAsync(c, Ev.Identify(id, $"v-{Guid.NewGuid():N}", DateTime.UtcNow));
        }

        var series = await UntilAsync(c, journey, j => j.Stats.Completed == 10);
        foreach (var id in treated.Take(4).Concat(held.Take(1)))
        {
            await TrackAsync(c, Ev.Purchase(id, DateTime.UtcNow, 20));
        }

        // Conversions and their revenue are separate counts that may reach the results in different flushes: wait for both.
        var done = await UntilAsync(c, journey, j => j.Stats.Goal.Groups.Sum(g => g.Conversions) >= 5 + 4 && j.Stats.Goal.Groups.Sum(g => g.Revenue) >= 100 + 80);

        Assert.All(treated, id => Assert.Equal(3, c.Sent.To(journey.JourneyId, id).Count));
        Assert.All(held, id => Assert.Empty(c.Sent.To(journey.JourneyId, id)));
        Assert.Equal(8, series.Stats.Steps.Where(s => s.StepId is "discount-offer" or "content-offer").Sum(s => s.Sent.Sum(r => r.Count)));
        Assert.Equal((8L, 4L), (Group(done, "treated").Members, Group(done, "treated").Conversions));
        Assert.Equal((2L, 1L), (Group(done, "holdout").Members, Group(done, "holdout").Conversions));
        var arms = done.Stats.Goal.Groups.Where(g => g.Name is "discount" or "content").ToList();
        Assert.Equal(8, arms.Sum(a => a.Members));
        Assert.Equal(4, arms.Sum(a => a.Conversions));
        var lift = done.Stats.Goal.Comparisons.Single(x => x.Treatment == "treated" && x.Control == "holdout" && x.Metric == "conversion_rate");
        Assert.Equal((8L, 2L, 0.5 - 0.5), (lift.TreatmentMembers, lift.ControlMembers, lift.Difference));
        Assert.True(lift.Low < 0 && lift.High > 0); // ten customers prove nothing, and the interval says so

        // Revenue per recipient: 4 × 20 over 8 treated, 20 over 2 held; each arm 20 per conversion over its members.
        Assert.Equal((80.0, 10.0), (Group(done, "treated").Revenue, Group(done, "treated").RevenuePerRecipient));
        Assert.Equal((20.0, 10.0), (Group(done, "holdout").Revenue, Group(done, "holdout").RevenuePerRecipient));
        Assert.All(arms.Where(a => a.Members > 0), a => Assert.Equal(20.0 * a.Conversions / a.Members, a.RevenuePerRecipient, 10));
        var revenueLift = done.Stats.Goal.Comparisons.Single(x => x.Treatment == "treated" && x.Control == "holdout" && x.Metric == "revenue_per_recipient");
        Assert.Equal((8L, 2L, 0.0), (revenueLift.TreatmentMembers, revenueLift.ControlMembers, revenueLift.Difference));
        Assert.True(revenueLift.Low < 0 && revenueLift.High > 0);

        // The sample-ratio checks: the day-7 split's arms against its 1:1 weights, the holdout draw against 10%.
        var split = Assert.Single(done.Stats.Goal.SampleRatios);
        var members = new[] { "discount", "content" }.Select(n => arms.SingleOrDefault(a => a.Name == n)?.Members ?? 0).ToList();
        Assert.Equal("day-7", split.StepId);
        Assert.Equal(Personalization.Decisioning.Measurement.SampleRatio.PValue(members, [1.0, 1.0]), split.PValue, 10);
        Assert.Equal(split.PValue < 0.001, split.Mismatch);
        Assert.Equal("", done.Stats.Goal.HoldoutSampleRatio.StepId);
        Assert.Equal(Personalization.Decisioning.Measurement.SampleRatio.PValue([8, 2], [0.9, 0.1]), done.Stats.Goal.HoldoutSampleRatio.PValue, 10);
        Assert.False(done.Stats.Goal.HoldoutSampleRatio.Mismatch); // 8 : 2 against 9 : 1 is well within chance
    }

    // Joining "no purchase for 60 days" enters once; the best-hour message, then the last chance after
    // the timeout; a customer who buys in between exits and converts.
    private static async Task WinBackAsync(Context c)
    {
        var segment = $"lapsed-{Guid.NewGuid():N}"[..20];
        var template = Template("win-back.yaml", c.Offer, _ => TimeSpan.FromSeconds(3));
        await c.Segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = $"cohort = '{template.JourneyId}' and days_since(last_purchase) > 60" } });
        template.Entry.Segment = segment;
        var journey = await StartAsync(c, template);
        var (lapsed, returner) = (await CustomersAsync(c, journey, 2)) is var ids ? (ids[0], ids[1]) : default;

        foreach (var id in new[] { lapsed, returner })
        {
            await TrackAsync(c, Ev.Purchase(id, DateTime.UtcNow.AddDays(-61), 40));
        }

        await UntilAsync(c, journey, j => SentAt(j, "we-miss-you") == 2);
        await TrackAsync(c, Ev.Purchase(returner, DateTime.UtcNow, 40));
        await TrackAsync(c, Ev.Session(lapsed, DateTime.UtcNow)); // still in the segment: no second entry
        var done = await UntilAsync(c, journey, j => SentAt(j, "last-chance") == 1);

        Assert.Equal(2, c.Sent.To(journey.JourneyId, lapsed).Count);
        Assert.Single(c.Sent.To(journey.JourneyId, returner));
        Assert.Equal(2, done.Stats.Entered);
        Assert.Equal(1, JourneyTests.Ended(done.Stats, "EXIT_EVENT"));
        Assert.Equal((2L, 1L), (Group(done, "treated").Members, Group(done, "treated").Conversions));
    }

    // After the purchase and the wait, the review request; a complaint meanwhile exits; a click on the request is the goal.
    private static async Task PostPurchaseReviewAsync(Context c)
    {
        var journey = await StartAsync(c, Template("post-purchase-review.yaml", c.Offer, _ => TimeSpan.FromSeconds(3)));
        var (reviewer, complainer) = (await CustomersAsync(c, journey, 2)) is var ids ? (ids[0], ids[1]) : default;

        await TrackAsync(c, Ev.Purchase(reviewer, DateTime.UtcNow, 25));
        await TrackAsync(c, Ev.Purchase(complainer, DateTime.UtcNow, 25));
        var complaint = Ev.Of(complainer, EventType.Complaint, DateTime.UtcNow, Channel.CallCenter);
        complaint.Complaint = new ContactDetail { Reason = "late delivery" };
        await TrackAsync(c, complaint);
        await UntilAsync(c, journey, j => SentAt(j, "ask") == 1);
        var request = Assert.Single(c.Sent.To(journey.JourneyId, reviewer));
        var click = Ev.Of(reviewer, EventType.MessageClicked, DateTime.UtcNow, Channel.Email);
        click.Message = new MessageDetail { MessageId = request.GetProperty("delivery_id").GetString()!, DecisionId = request.GetProperty("decision_id").GetString()!, OfferId = c.Offer };
        await TrackAsync(c, click);
        var done = await UntilAsync(c, journey, j => j.Stats.Goal.Groups.Sum(g => g.Conversions) == 1);

        Assert.Empty(c.Sent.To(journey.JourneyId, complainer));
        Assert.Equal(1, JourneyTests.Ended(done.Stats, "EXIT_EVENT"));
        Assert.Equal((2L, 1L), (Group(done, "treated").Members, Group(done, "treated").Conversions));
    }

    // The customer whose birthday it is today (on their clock) is greeted once, whatever else they do that day; tomorrow's is not yet.
    private static async Task BirthdayAsync(Context c)
    {
        var template = Template("birthday.yaml", c.Offer, d => d);
        template.Entry.TimeOfDay = "00:00";
        var journey = await StartAsync(c, template);
        var (today, tomorrow) = (await CustomersAsync(c, journey, 2)) is var ids ? (ids[0], ids[1]) : default;
        // ReachableCustomerAsync put them at local noon: their date is the UTC date shifted by that offset.
        var offset = 12 - DateTime.UtcNow.Hour;
        var localToday = DateTime.UtcNow.AddHours(offset < -12 ? offset + 24 : offset).Date;

        await TrackAsync(c, Ev.Traits(today, DateTime.UtcNow, ("birthday", new Value { StringValue = localToday.AddYears(-30).ToString("yyyy-MM-dd") })));
        await TrackAsync(c, Ev.Traits(tomorrow, DateTime.UtcNow, ("birthday", new Value { StringValue = localToday.AddDays(1).AddYears(-30).ToString("yyyy-MM-dd") })));
        await UntilAsync(c, journey, j => SentAt(j, "greet") == 1);
        await TrackAsync(c, Ev.Session(today, DateTime.UtcNow));
        await TrackAsync(c, Ev.Purchase(today, DateTime.UtcNow, 60));
        var done = await UntilAsync(c, journey, j => j.Stats.Goal.Groups.Sum(g => g.Conversions) == 1);

        Assert.Single(c.Sent.To(journey.JourneyId, today));
        Assert.Empty(c.Sent.To(journey.JourneyId, tomorrow));
        Assert.Equal(1, done.Stats.Entered);
        Assert.Equal((1L, 1L), (Group(done, "treated").Members, Group(done, "treated").Conversions));
    }
}
