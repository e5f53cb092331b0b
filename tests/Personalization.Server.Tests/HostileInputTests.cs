using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>
/// Every RPC of the contract, found by reflection over its descriptors, fed hostile input: each
/// string field (and those of nested messages) set to empty, huge, control characters, unicode,
/// and injection-looking text, one at a time; then random bytes and other methods' messages.
/// The server answers each with a client-error status (never INTERNAL or UNKNOWN), stays healthy,
/// and no state changes.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HostileInputTests(ServerEnvironment environment)
{
    // Never acceptable anywhere: every changing RPC must refuse them.
    private static readonly string[] Invalid =
    [
        "",
        new string('x', 70_000),
        "\u0000ctl\u0007\u001b[2J",
        "\u202Egnp.exe",
    ];

    // Odd but legitimate as data (an id, a name, a query): handled as text, never as code.
    private static readonly string[] Odd =
    [
        "'; DROP TABLE customers; --",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "😀🎉 客户 ﷽",
        "churn > \"high\" or (((",
        "{\"$ne\": null}",
    ];

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    // Statuses that tell a caller its request was wrong; anything else is a server fault.
    private static readonly HashSet<StatusCode> ClientErrors =
    [
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.AlreadyExists,
        StatusCode.FailedPrecondition, StatusCode.ResourceExhausted, StatusCode.OutOfRange,
    ];

    private static IEnumerable<MethodDescriptor> Methods() => typeof(Event).Assembly.GetTypes()
        .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal) && t.Namespace == "Personalization.V1")
        .Select(t => (FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!)
        .SelectMany(f => f.Services)
        .SelectMany(s => s.Methods)
        .Where(m => m.Service.Name != "PingService");

    [Fact]
    public async Task EveryRpcRefusesInvalidFieldsWithAClientErrorAndChangesNothing()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var before = await SnapshotAsync(server);
        var faults = new List<string>();
        var accepted = new List<string>();
        var methods = Methods().ToList();
        Assert.True(methods.Count >= 38, $"found only {methods.Count} RPCs");

        foreach (var method in methods)
        {
            foreach (var (path, message) in HostileMessages(method.InputType, Invalid))
            {
                var (status, response) = await CallAsync(server, method, message.ToByteArray());
                if (!ClientErrors.Contains(status.StatusCode))
                {
                    faults.Add($"{method.FullName} {path}: {status.StatusCode} {status.Detail}");
                }
                else if (status.StatusCode == StatusCode.OK && Mutates(method) && !RejectedItems(method, response))
                {
                    accepted.Add($"{method.FullName} {path}");
                }
            }
        }

        Assert.True(faults.Count == 0, string.Join("\n", faults.Take(20)));
        Assert.True(accepted.Count == 0, "hostile input accepted by a changing RPC:\n" + string.Join("\n", accepted.Take(20)));
        Assert.Equal(before, await SnapshotAsync(server));
        await AssertHealthyAsync(server);
    }

    [Fact]
    public async Task OddTextIsDataEverywhere()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var faults = new List<string>();
        foreach (var method in Methods())
        {
            foreach (var (path, message) in HostileMessages(method.InputType, Odd))
            {
                var (status, _) = await CallAsync(server, method, message.ToByteArray());
                if (!ClientErrors.Contains(status.StatusCode))
                {
                    faults.Add($"{method.FullName} {path}: {status.StatusCode} {status.Detail}");
                }
            }
        }

        Assert.True(faults.Count == 0, string.Join("\n", faults.Take(20)));

        // Stored and read back as the same text, whatever it looks like.
        var events = new EventService.EventServiceClient(server.Channel);
        var profiles = new ProfileService.ProfileServiceClient(server.Channel);
        foreach (var id in Odd.Where(id => !id.Contains("..", StringComparison.Ordinal)))
        {
            await events.TrackAsync(new TrackRequest { Event = Ev.Session(id, DateTime.UtcNow) });
            Assert.Equal(id, (await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id })).CustomerId);
        }

        await AssertHealthyAsync(server);
    }

    [Theory]
    [InlineData("a\\b")]
    [InlineData("a/./b")]
    [InlineData("../outside")]
    [InlineData("x/..")]
    public async Task IdsThatABlobUriWouldResolveAreRefusedBeforeAnyGrain(string id)
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var events = new EventService.EventServiceClient(server.Channel);
        var profiles = new ProfileService.ProfileServiceClient(server.Channel);

        var tracked = await Assert.ThrowsAsync<RpcException>(async () => await events.TrackAsync(new TrackRequest { Event = Ev.Session(id, DateTime.UtcNow) }));
        var read = await Assert.ThrowsAsync<RpcException>(async () => await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id }));

        Assert.Equal(StatusCode.InvalidArgument, tracked.StatusCode);
        Assert.Contains("customer_id", tracked.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, read.StatusCode);
    }

    [Fact]
    public async Task RandomBytesAndOtherMethodsMessagesLeaveTheServerUpAndUnchanged()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var before = await SnapshotAsync(server);
        var random = new Random(20261123);
        var methods = Methods().ToList();
        var statuses = new Dictionary<StatusCode, int>();
        foreach (var method in methods)
        {
            var bodies = new List<byte[]>();
            for (var i = 0; i < 12; i++)
            {
                var body = new byte[random.Next(0, 600)];
                random.NextBytes(body);
                bodies.Add(body);
            }

            // Well-formed messages of the wrong type: another method's request with its fields filled.
            foreach (var other in methods.OrderBy(_ => random.Next()).Take(6))
            {
                var wrong = HostileMessages(other.InputType, Invalid).Select(h => h.Message).Skip(random.Next(0, 5)).FirstOrDefault()
                    ?? other.InputType.Parser.ParseFrom(ByteString.Empty);
                bodies.Add(wrong.ToByteArray());
            }

            foreach (var body in bodies)
            {
                var (status, _) = await CallAsync(server, method, body);
                statuses[status.StatusCode] = statuses.GetValueOrDefault(status.StatusCode) + 1;
                // Bytes that are no protobuf message at all fail in Grpc.AspNetCore's decoding, before any
                // of the server's code: UNKNOWN, with the decoding error named (README: known limits).
                var undecodable = status.StatusCode == StatusCode.Unknown && status.Detail.Contains("InvalidProtocolBufferException", StringComparison.Ordinal);
                Assert.True(ClientErrors.Contains(status.StatusCode) || undecodable, $"{method.FullName}: {status.StatusCode} {status.Detail}");
            }
        }

        Assert.True(statuses.Keys.Any(k => k != StatusCode.OK), "every random message was accepted");
        await AssertHealthyAsync(server);
        Assert.Equal(before, await SnapshotAsync(server));
    }

    // One message per (string field, value): the field set, everything else left empty.
    private static IEnumerable<(string Path, IMessage Message)> HostileMessages(MessageDescriptor type, string[] values)
    {
        foreach (var value in values)
        {
            foreach (var (path, set) in StringFields(type, "", 0))
            {
                var message = type.Parser.ParseFrom(ByteString.Empty);
                set(message, value);
                yield return ($"{path}={Shown(value)}", message);
            }
        }
    }

    private static IEnumerable<(string Path, Action<IMessage, string> Set)> StringFields(MessageDescriptor type, string prefix, int depth)
    {
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            var name = prefix + field.Name;
            if (field.FieldType == FieldType.String && !field.IsMap)
            {
                yield return (name, (m, v) =>
                {
                    if (field.IsRepeated)
                    {
                        ((IList)field.Accessor.GetValue(m)).Add(v);
                    }
                    else
                    {
                        field.Accessor.SetValue(m, v);
                    }
                });
            }
            else if (field.FieldType == FieldType.Message && !field.IsMap && !field.IsRepeated && depth < 2 && field.MessageType.File.Package == "personalization.v1")
            {
                foreach (var (inner, set) in StringFields(field.MessageType, name + ".", depth + 1))
                {
                    yield return (inner, (m, v) =>
                    {
                        var child = (IMessage?)field.Accessor.GetValue(m) ?? field.MessageType.Parser.ParseFrom(ByteString.Empty);
                        set(child, v);
                        field.Accessor.SetValue(m, child);
                    });
                }
            }
        }
    }

    private static bool Mutates(MethodDescriptor method) =>
        !(method.Name.StartsWith("Get", StringComparison.Ordinal) || method.Name.StartsWith("List", StringComparison.Ordinal)
          || method.Name.StartsWith("Preview", StringComparison.Ordinal) || method.Name.StartsWith("Validate", StringComparison.Ordinal)
          || method.Name.StartsWith("Export", StringComparison.Ordinal) || method.Name.StartsWith("Watch", StringComparison.Ordinal) || method.Name.StartsWith("Search", StringComparison.Ordinal));

    // Streams and batches answer OK and report each refused item in a "rejected" list.
    private static bool RejectedItems(MethodDescriptor method, byte[]? response)
    {
        if (response is null || method.OutputType.FindFieldByName("rejected") is not { IsRepeated: true } rejected)
        {
            return false;
        }

        var answer = method.OutputType.Parser.ParseFrom(response);
        return ((IList)rejected.Accessor.GetValue(answer)).Count > 0;
    }

    private static string Shown(string value) => value.Length > 20 ? $"<{value.Length} chars>" : value;

    private static async Task<(Status Status, byte[]? Response)> CallAsync(TestServer server, MethodDescriptor method, byte[] body)
    {
        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (true, true) => MethodType.DuplexStreaming,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            _ => MethodType.Unary,
        };
        var raw = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, Bytes, Bytes);
        var invoker = server.Channel.CreateCallInvoker();
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(20));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    return (Status.DefaultSuccess, await invoker.AsyncUnaryCall(raw, null, options, body));
                case MethodType.ClientStreaming:
                    using (var call = invoker.AsyncClientStreamingCall(raw, null, options))
                    {
                        await call.RequestStream.WriteAsync(body);
                        await call.RequestStream.CompleteAsync();
                        return (Status.DefaultSuccess, await call.ResponseAsync);
                    }

                default:
                    using (var call = invoker.AsyncServerStreamingCall(raw, null, options, body))
                    {
                        // A watch stream runs until cancelled: reading its first answer is enough.
                        await call.ResponseStream.MoveNext(CancellationToken.None);
                    }

                    break;
            }

            return (Status.DefaultSuccess, null);
        }
        catch (RpcException e)
        {
            return (e.Status, null);
        }
    }

    private static async Task AssertHealthyAsync(TestServer server)
    {
        var health = await new global::Grpc.Health.V1.Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        var pong = await new PingService.PingServiceClient(server.Channel).PingAsync(new PingRequest { GrainKey = "after-fuzz" });
        Assert.NotEmpty(pong.Info.GrainSilo);
    }

    // Everything a caller could have changed, as text.
    private static async Task<string> SnapshotAsync(TestServer server)
    {
        var page = new PageRequest { PageSize = 100 };
        var profiles = await new ProfileService.ProfileServiceClient(server.Channel).ListProfilesAsync(new ListProfilesRequest { Page = page });
        var offers = await new OfferService.OfferServiceClient(server.Channel).ListOffersAsync(new ListOffersRequest { Page = page, IncludeArchived = true });
        var segments = await new SegmentService.SegmentServiceClient(server.Channel).ListSegmentsAsync(new ListSegmentsRequest { Page = page });
        var campaigns = await new CampaignService.CampaignServiceClient(server.Channel).ListCampaignsAsync(new ListCampaignsRequest { Page = page });
        var journeys = await new JourneyService.JourneyServiceClient(server.Channel).ListJourneysAsync(new ListJourneysRequest { Page = page });
        var models = new ModelService.ModelServiceClient(server.Channel);
        var churn = await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Churn });
        var offer = await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Offer });
        return $"{profiles}\n{offers}\n{segments}\n{campaigns}\n{journeys}\n{churn}\n{offer}";
    }
}
