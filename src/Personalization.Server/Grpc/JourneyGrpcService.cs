using Grpc.Core;
using Personalization.Contracts.Journeys;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Segments;
using Personalization.Decisioning.Journeys;
using Personalization.V1;
using DomainStatus = Personalization.Decisioning.Journeys.JourneyStatus;

namespace Personalization.Server.Grpc;

/// <summary>JourneyService: validates journeys at the edge (fields, rules, offers) and drives the journey registry.</summary>
public sealed class JourneyGrpcService(IGrainFactory grains, TimeProvider time) : JourneyService.JourneyServiceBase
{
    /// <summary>The longest interval a watcher may ask for between updates.</summary>
    private const int MaxWatchIntervalMs = 60_000;

    private IJourneyRegistryGrain Registry => grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey);

    public override async Task<Journey> CreateJourney(CreateJourneyRequest request, ServerCallContext context)
    {
        var definition = await ValidAsync(request.Journey);
        return Checked(await Registry.Create(definition));
    }

    public override async Task<Journey> UpdateJourney(UpdateJourneyRequest request, ServerCallContext context)
    {
        var definition = await ValidAsync(request.Journey);
        return Checked(await Registry.Update(definition));
    }

    public override Task<Journey> GetJourney(GetJourneyRequest request, ServerCallContext context) =>
        WithResultsAsync(GrpcErrors.RequiredId(request.JourneyId, "journey_id"));

    public override async Task WatchJourney(WatchJourneyRequest request, IServerStreamWriter<Journey> responseStream, ServerCallContext context)
    {
        var id = GrpcErrors.RequiredId(request.JourneyId, "journey_id");
        var interval = request.IntervalMs switch
        {
            0 => 1000,
            < 0 or > MaxWatchIntervalMs => throw GrpcErrors.Invalid($"interval_ms: 0 (meaning 1000) to {MaxWatchIntervalMs}, got {request.IntervalMs}."),
            var ms => ms,
        };
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var journey = await WithResultsAsync(id);
            await responseStream.WriteAsync(journey, context.CancellationToken);
            if (journey.State == JourneyState.Archived)
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(interval), time, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // The current version with its live results (all versions together).
    private async Task<Journey> WithResultsAsync(string id)
    {
        var result = await Registry.Get(id);
        if (result.Status != JourneyResultStatus.Ok)
        {
            return Checked(result);
        }

        var totals = await grains.GetGrain<IJourneyStatsGrain>(id).Get();
        return JourneyMapping.ToContract(result.Journey!, totals);
    }

    public override async Task<ListJourneysResponse> ListJourneys(ListJourneysRequest request, ServerCallContext context)
    {
        if (!Enum.IsDefined(request.State))
        {
            throw GrpcErrors.Invalid($"state: unknown journey state {(int)request.State}.");
        }

        var size = Paging.Size(request.Page);
        var filter = request.State == JourneyState.Unspecified ? (DomainStatus?)null : (DomainStatus)(int)request.State;
        var journeys = await Registry.List(Paging.Decode(request.Page?.PageToken), size + 1, filter);
        var more = journeys.Count > size;
        var response = new ListJourneysResponse { Page = new PageInfo { NextPageToken = more ? Paging.Encode(journeys[size - 1].Definition.JourneyId) : "" } };
        response.Journeys.AddRange(journeys.Take(size).Select(j => JourneyMapping.ToContract(j)));
        return response;
    }

    public override async Task<ValidateJourneyResponse> ValidateJourney(ValidateJourneyRequest request, ServerCallContext context)
    {
        var errors = await ProblemsAsync(request.Journey);
        var response = new ValidateJourneyResponse { Valid = errors.Count == 0 };
        response.Errors.AddRange(errors);
        return response;
    }

    public override async Task<Journey> ActivateJourney(JourneyIdRequest request, ServerCallContext context) =>
        await MoveAsync(request, DomainStatus.Active, from: DomainStatus.Draft);

    public override async Task<Journey> PauseJourney(JourneyIdRequest request, ServerCallContext context) =>
        await MoveAsync(request, DomainStatus.Paused, from: null);

    public override async Task<Journey> ResumeJourney(JourneyIdRequest request, ServerCallContext context) =>
        await MoveAsync(request, DomainStatus.Active, from: DomainStatus.Paused);

    public override async Task<Journey> ArchiveJourney(JourneyIdRequest request, ServerCallContext context) =>
        await MoveAsync(request, DomainStatus.Archived, from: null);

    // Activate and resume both move to Active; each applies only from its own state.
    private async Task<Journey> MoveAsync(JourneyIdRequest request, DomainStatus to, DomainStatus? from)
    {
        var id = GrpcErrors.RequiredId(request.JourneyId, "journey_id");
        if (from is { } required && Checked(await Registry.Get(id)) is var current && (DomainStatus)(int)current.State != required)
        {
            var verb = required == DomainStatus.Draft ? "activated (resume a paused one)" : "resumed";
            throw GrpcErrors.FailedPrecondition($"only a {required.ToString().ToLowerInvariant()} journey can be {verb}; this one is {current.State.ToString().ToLowerInvariant()}.");
        }

        return Checked(await Registry.Move(id, to));
    }

    private async Task<JourneyDefinition> ValidAsync(Journey? journey)
    {
        var errors = await ProblemsAsync(journey);
        return errors.Count > 0 ? throw GrpcErrors.Invalid(string.Join("; ", errors)) : JourneyMapping.ToDomain(journey!);
    }

    // Field problems first; then every offer must be live in the catalog.
    private async Task<List<string>> ProblemsAsync(Journey? journey)
    {
        if (journey is null)
        {
            return ["journey: is required."];
        }

        var definition = JourneyMapping.ToDomain(journey);
        var errors = JourneyRules.Validate(definition).Select(e => e.ToString()).ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(await OfferReferences.ProblemsAsync(grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey), definition.OfferIds, "journey.offer_ids"));
            if (definition.EntryKind == JourneyEntryKind.SegmentJoin
                && (await grains.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey).Get(definition.EntrySegment)).Status == SegmentResultStatus.NotFound)
            {
                errors.Add($"journey.entry.segment: no segment '{definition.EntrySegment}'.");
            }
        }

        return errors;
    }

    private static Journey Checked(JourneyResult result) => result.Status switch
    {
        JourneyResultStatus.NotFound => throw GrpcErrors.NotFound(result.Detail),
        JourneyResultStatus.WrongState => throw GrpcErrors.FailedPrecondition(result.Detail),
        JourneyResultStatus.AlreadyExists => throw GrpcErrors.AlreadyExists(result.Detail),
        JourneyResultStatus.Invalid => throw GrpcErrors.Invalid(result.Detail),
        _ => JourneyMapping.ToContract(result.Journey!),
    };
}
