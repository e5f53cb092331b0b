using Grpc.Core;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Segments;
using Personalization.Decisioning.Rules;
using Personalization.Decisioning.Segments;
using Personalization.Grains.Common;
using Personalization.Server.Segments;
using Personalization.V1;
using Personalization.V1.Conversions;
using Segment = Personalization.V1.Segment;

namespace Personalization.Server.Grpc;

/// <summary>
/// SegmentService: segment definitions in the registry grain, live member counts from the shards, previews over a
/// sample of customers, member counts over time from the <see cref="SegmentHistoryStore"/>.
/// </summary>
public sealed class SegmentGrpcService(IGrainFactory grains, SegmentHistoryStore history, SegmentHistorySettings historySettings, TimeProvider time) : SegmentService.SegmentServiceBase
{
    /// <summary>Most customers a preview evaluates (spread over the index shards).</summary>
    public const int PreviewLimit = 10_000;

    private const int PreviewInFlight = 256;

    private ISegmentRegistryGrain Registry => grains.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey);

    public override async Task<Segment> CreateSegment(CreateSegmentRequest request, ServerCallContext context)
    {
        var result = await Registry.Create(ToDomain(request.Segment));
        return result.Status switch
        {
            SegmentResultStatus.AlreadyExists => throw GrpcErrors.AlreadyExists($"segment.name: a segment '{request.Segment.Name}' exists; use UpdateSegment to change it."),
            _ => await ToContractAsync(Checked(result)),
        };
    }

    public override async Task<Segment> UpdateSegment(UpdateSegmentRequest request, ServerCallContext context) =>
        await ToContractAsync(Checked(await Registry.Update(ToDomain(request.Segment))));

    public override async Task<DeleteSegmentResponse> DeleteSegment(DeleteSegmentRequest request, ServerCallContext context)
    {
        if (!SegmentRules.IsName(request.Name))
        {
            throw GrpcErrors.Invalid($"name: {SegmentRules.NameRule}");
        }

        var result = await Registry.Delete(request.Name);
        switch (result.Status)
        {
            case SegmentResultStatus.NotFound:
                return new DeleteSegmentResponse { Deleted = false };
            case SegmentResultStatus.InUse:
                throw GrpcErrors.FailedPrecondition(string.Join("; ", result.Errors));
            default:
                // A new segment of the same name starts its history afresh.
                await history.DeleteAsync(request.Name, context.CancellationToken);
                return new DeleteSegmentResponse { Deleted = true };
        }
    }

    public override async Task<SegmentHistory> GetSegmentHistory(GetSegmentHistoryRequest request, ServerCallContext context)
    {
        if (!SegmentRules.IsName(request.Name))
        {
            throw GrpcErrors.Invalid($"name: {SegmentRules.NameRule}");
        }

        var segment = Checked(await Registry.Get(request.Name));
        var response = new SegmentHistory { Name = segment.Name, EverySeconds = (long)historySettings.Every.TotalSeconds };
        foreach (var sample in await history.ReadAsync(segment.Name, time.GetUtcNow(), context.CancellationToken))
        {
            response.Samples.Add(new SegmentCountSample { At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(sample.At), MemberCount = sample.MemberCount });
        }

        return response;
    }

    public override async Task<Segment> GetSegment(GetSegmentRequest request, ServerCallContext context) =>
        await ToContractAsync(Checked(await Registry.Get(request.Name)));

    public override async Task<ListSegmentsResponse> ListSegments(ListSegmentsRequest request, ServerCallContext context)
    {
        var size = Paging.Size(request.Page);
        var page = await Registry.List(Paging.Decode(request.Page?.PageToken), size + 1);
        var more = page.Count > size;
        var response = new ListSegmentsResponse
        {
            Page = new PageInfo { NextPageToken = more ? Paging.Encode(page[size - 1].Name) : "" },
        };
        response.Segments.AddRange(await Task.WhenAll(page.Take(size).Select(ToContractAsync)));
        return response;
    }

    public override async Task<PreviewSegmentResponse> PreviewSegment(PreviewSegmentRequest request, ServerCallContext context)
    {
        var sampleSize = request.SampleSize switch
        {
            0 => 10,
            < 0 or > 100 => throw GrpcErrors.Invalid($"sample_size: 0 (meaning 10) to 100, got {request.SampleSize}."),
            var n => n,
        };
        var known = await Registry.List(null, int.MaxValue);
        var errors = SegmentRules.Validate(new SegmentDefinition { Name = $"p{Guid.NewGuid():N}", Rule = request.Rule }, known);
        if (errors.Count > 0)
        {
            throw GrpcErrors.Invalid(string.Join("; ", errors.Select(e => e.ToString().Replace("segment.rule", "rule", StringComparison.Ordinal))));
        }

        // A sample spread over every index shard (shards are hash partitions of the ids).
        var perShard = PreviewLimit / ICustomerIndexGrain.Shards;
        var pages = await Task.WhenAll(Enumerable.Range(0, ICustomerIndexGrain.Shards).Select(s => grains.GetGrain<ICustomerIndexGrain>(s).Page(null, perShard)));
        var ids = pages.SelectMany(p => p).ToList();
        var matches = await Bounded.SelectAsync(ids, PreviewInFlight, id => grains.GetGrain<ICustomerGrain>(id).Matches(request.Rule), context.CancellationToken);

        var response = new PreviewSegmentResponse { Evaluated = ids.Count, Matching = matches.Count(m => m) };
        response.SampleCustomerIds.AddRange(ids.Where((_, i) => matches[i]).Order(StringComparer.Ordinal).Take(sampleSize));
        return response;
    }

    public override Task<ValidateRuleResponse> ValidateRule(ValidateRuleRequest request, ServerCallContext context)
    {
        if (request.Rule.Length > SegmentRules.MaxRuleLength)
        {
            throw GrpcErrors.Invalid($"rule: at most {SegmentRules.MaxRuleLength} characters, got {request.Rule.Length}.");
        }

        var response = new ValidateRuleResponse();
        try
        {
            var compiled = RuleLanguage.Compile(request.Rule);
            response.Valid = true;
            response.Normalized = string.Join(" ", request.Rule.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            response.ReferencedFields.AddRange(compiled.Fields);
            response.ReferencedFields.AddRange(compiled.Segments.Select(s => $"in_segment({s})"));
        }
        catch (RuleSyntaxException ex)
        {
            response.Errors.Add(new V1.RuleError { Line = ex.Error.Line, Column = ex.Error.Column, Message = ex.Error.Message });
        }

        return Task.FromResult(response);
    }

    private static SegmentDefinition ToDomain(Segment? segment) =>
        segment is null
            ? throw GrpcErrors.Invalid("segment: is required.")
            : new SegmentDefinition { Name = segment.Name, Description = segment.Description, Rule = segment.Rule };

    private static SegmentDefinition Checked(SegmentResult result) => result.Status switch
    {
        SegmentResultStatus.Invalid => throw GrpcErrors.Invalid(string.Join("; ", result.Errors)),
        SegmentResultStatus.NotFound => throw GrpcErrors.NotFound(string.Join("; ", result.Errors)),
        _ => result.Segment!,
    };

    private async Task<Segment> ToContractAsync(SegmentDefinition segment) => new()
    {
        Name = segment.Name,
        Description = segment.Description,
        Rule = segment.Rule,
        MemberCount = await grains.GetGrain<ISegmentGrain>(segment.Name).MemberCount(),
        Status = segment.Backfilling ? SegmentStatus.Backfilling : SegmentStatus.Active,
        BackfillProgress = segment.BackfillProgress,
        CreatedAt = segment.CreatedAt.ToContractOrUnset(),
        UpdatedAt = segment.UpdatedAt.ToContractOrUnset(),
    };
}
