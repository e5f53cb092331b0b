using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Contracts.Models;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Validation;
using Personalization.Server.Hosting;
using Personalization.Server.Models;
using Personalization.V1;
using Personalization.V1.Conversions;
using DomainKind = Personalization.Scoring.Bundles.ModelKind;
using ModelKind = Personalization.V1.ModelKind;

namespace Personalization.Server.Grpc;

/// <summary>
/// ModelService: bundles are uploaded in chunks with their hash checked, stored in blob storage by
/// hash, registered in the model registry grain, validated before activation (loads, builds its
/// features, scores sample customers with finite outputs, and is measured on its own validation set
/// against the active model — the manifest's metrics are shown, not believed) and then served by
/// every silo, which follows the registry.
/// </summary>
public sealed class ModelGrpcService(IGrainFactory grains, ScoringService scoring, ModelStore store, ModelSync sync, ModelSettings settings) : ModelService.ModelServiceBase
{
    private const int MaxChunkBytes = 1024 * 1024;
    private const int ExportPage = 256;
    private const int ExportChunkChars = 256 * 1024;

    private IModelRegistryGrain Registry => grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey);

    public override async Task<ModelVersion> PushModel(IAsyncStreamReader<PushModelChunk> requestStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.PartCase != PushModelChunk.PartOneofCase.Header)
        {
            throw GrpcErrors.Invalid("header: the first message of an upload must be the header (sha256, size_bytes, kind).");
        }

        var header = requestStream.Current.Header;
        var kind = Kind(header.Kind, header.KindName);
        if (header.Sha256.Length != 64 || !header.Sha256.All(char.IsAsciiHexDigitLower))
        {
            throw GrpcErrors.Invalid($"header.sha256: 64 lower-case hex digits, got '{header.Sha256}'.");
        }

        if (header.SizeBytes <= 0 || header.SizeBytes > settings.MaxBundleBytes)
        {
            throw GrpcErrors.Invalid($"header.size_bytes: between 1 and {settings.MaxBundleBytes}, got {header.SizeBytes}.");
        }

        using var buffer = new MemoryStream((int)header.SizeBytes);
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var chunk = requestStream.Current;
            if (chunk.PartCase != PushModelChunk.PartOneofCase.Data)
            {
                throw GrpcErrors.Invalid("header: only the first message may be a header.");
            }

            if (chunk.Data.Length > MaxChunkBytes || buffer.Length + chunk.Data.Length > header.SizeBytes)
            {
                throw GrpcErrors.Invalid($"data: more bytes than header.size_bytes ({header.SizeBytes}) or a chunk over {MaxChunkBytes} bytes.");
            }

            chunk.Data.WriteTo(buffer);
        }

        if (buffer.Length != header.SizeBytes)
        {
            throw GrpcErrors.Invalid($"data: the upload ended after {buffer.Length} of {header.SizeBytes} bytes (truncated); nothing was stored.");
        }

        var bytes = buffer.ToArray();
        var sha = ModelBundle.Sha256(bytes);
        if (sha != header.Sha256)
        {
            throw GrpcErrors.Invalid($"header.sha256: the bytes received hash to {sha}, not {header.Sha256}; nothing was stored.");
        }

        ModelBundle bundle;
        try
        {
            bundle = ModelBundle.Read(new MemoryStream(bytes));
        }
        catch (InvalidModelBundleException ex)
        {
            throw GrpcErrors.Invalid($"bundle: {ex.Message}.");
        }

        if (bundle.Manifest.Kind != kind)
        {
            throw GrpcErrors.Invalid($"header.kind: the bundle is a {Name(bundle.Manifest.Kind)} model, not {Name(kind)}.");
        }

        await store.PutAsync(sha, bytes, context.CancellationToken);
        var result = await Registry.Register(ModelEntries.From(bundle.Manifest, sha, bytes.Length));
        return Checked(result);
    }

    public override async Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context)
    {
        var kind = request.Kind == ModelKind.Unspecified && request.KindName.Length == 0 ? null : Name(Kind(request.Kind, request.KindName));
        var response = new ListModelsResponse();
        response.Versions.AddRange((await Registry.List(kind)).Select(ToContract));
        return response;
    }

    public override async Task<ModelVersion> GetModel(GetModelRequest request, ServerCallContext context) =>
        Checked(await Registry.Get(Name(Kind(request.Kind, request.KindName)), Version(request.Version)));

    public override async Task<ModelVersion> ActivateModel(ActivateModelRequest request, ServerCallContext context)
    {
        var kind = Kind(request.Kind, request.KindName);
        var version = Version(request.Version);
        if (double.IsNaN(request.MaxAucDrop) || request.MaxAucDrop is < 0 or > 1)
        {
            throw GrpcErrors.Invalid($"max_auc_drop: between 0 and 1 (0 means {settings.MaxAucDrop.ToString(CultureInfo.InvariantCulture)}), got {request.MaxAucDrop}.");
        }

        var entry = Found(await Registry.Get(Name(kind), version));
        LoadedModel model;
        Dictionary<string, double> measured;
        try
        {
            using var stream = new MemoryStream(await store.GetAsync(entry.Sha256, context.CancellationToken));
            var bundle = ModelBundle.Read(stream);
            model = scoring.Load(bundle);
            var set = bundle.Validation() ?? throw new InvalidModelBundleException(
                $"{ValidationSet.FileName}: the bundle carries no labelled validation set, so there are no metrics the service can evaluate (the manifest's are not taken on trust); add {ValidationSet.FileName} with the features and the '{bundle.Manifest.LabelColumn}' column");
            measured = Measurement.Of(model, set);
            var (active, where) = await ActiveFiguresAsync(kind, bundle);
            var maxAucDrop = request.MaxAucDrop > 0 ? request.MaxAucDrop : settings.MaxAucDrop;
            if (ActivationCheck.Problem(bundle.Manifest.Output, measured, active, scoring.Active(kind)?.Version ?? "", where, maxAucDrop, settings.MaxCalibrationRise, settings.MaxRmseRise) is { } problem)
            {
                throw new InvalidModelBundleException(problem);
            }
        }
        catch (InvalidModelBundleException ex)
        {
            await Registry.Reject(Name(kind), version, ex.Message);
            throw GrpcErrors.FailedPrecondition($"version: {Name(kind)} '{version}' failed validation and was rejected: {ex.Message}; the active model is unchanged.");
        }

        var activated = Checked(await Registry.Activate(Name(kind), version, measured));
        // This silo swaps now; the others within one sync interval.
        scoring.Activate(model);
        return activated;
    }

    public override async Task<ModelVersion> RollbackModel(RollbackModelRequest request, ServerCallContext context)
    {
        var rolledBack = Checked(await Registry.Rollback(Name(Kind(request.Kind, request.KindName))));
        await sync.SyncAsync(context.CancellationToken);
        return rolledBack;
    }

    public override async Task<TrafficSplit> SetTrafficSplit(SetTrafficSplitRequest request, ServerCallContext context)
    {
        var split = request.Split ?? throw GrpcErrors.Invalid("split: is required.");
        var kind = Kind(split.Kind, split.KindName);
        var active = (await Registry.List(Name(kind))).Find(e => e.Status == ModelEntryStatus.Active);
        if (active is null || active.Version != split.ChampionVersion)
        {
            throw GrpcErrors.FailedPrecondition($"split.champion_version: must be the active {Name(kind)} version ('{active?.Version ?? "none"}'), got '{split.ChampionVersion}'.");
        }

        if (double.IsNaN(split.ChallengerShare) || split.ChallengerShare is < 0 or > 0.5 || (split.ChallengerVersion.Length > 0) != (split.ChallengerShare > 0))
        {
            throw GrpcErrors.Invalid($"split.challenger_share: a challenger needs a share between 0 and 0.5 (no challenger, share 0), got '{split.ChallengerVersion}' at {split.ChallengerShare}.");
        }

        Checked(await Registry.SetSplit(Name(kind), split.ChallengerVersion.Length == 0 ? null : split.ChallengerVersion, split.ChallengerShare));
        await sync.SyncAsync(context.CancellationToken);
        return new TrafficSplit { Kind = split.Kind, KindName = Name(kind), ChampionVersion = active.Version, ChallengerVersion = split.ChallengerVersion, ChallengerShare = split.ChallengerShare };
    }

    public override async Task<ModelResults> GetModelResults(GetModelResultsRequest request, ServerCallContext context)
    {
        var kind = Name(Kind(request.Kind, request.KindName));
        var versions = await Registry.List(kind);
        var counts = (await Registry.Results(kind)).ToDictionary(c => c.Version, StringComparer.Ordinal);
        var results = new ModelResults { Kind = request.Kind, KindName = kind };
        foreach (var (arm, status) in new[] { ("champion", ModelEntryStatus.Active), ("challenger", ModelEntryStatus.Challenger) })
        {
            if (versions.Find(e => e.Status == status) is { } entry)
            {
                var c = counts.GetValueOrDefault(entry.Version) ?? new ArmCount(kind, entry.Version, 0, 0, 0);
                results.Arms.Add(new ArmResults
                {
                    Arm = arm,
                    Version = entry.Version,
                    Decisions = c.Decisions,
                    Outcomes = c.Outcomes,
                    Conversions = c.Conversions,
                    AcceptanceRate = c.Decisions == 0 ? 0 : (double)c.Conversions / c.Decisions,
                });
            }
        }

        return results;
    }

    public override async Task ExportTrainingData(ExportTrainingDataRequest request, IServerStreamWriter<TrainingDataChunk> responseStream, ServerCallContext context)
    {
        var kind = Kind(request.Kind, "");
        var features = scoring.Active(kind)?.Bundle.Manifest.Features
            ?? throw GrpcErrors.FailedPrecondition($"kind: no {Name(kind)} model is active, so there is no feature list to export.");
        var since = request.Since?.ToDateTime();
        var now = DateTime.UtcNow;
        var offers = new Dictionary<string, Decisioning.Offers.Offer>(StringComparer.Ordinal);
        if (kind == DomainKind.Offer)
        {
            var catalog = grains.GetGrain<Contracts.Offers.IOfferCatalogGrain>(Contracts.Offers.IOfferCatalogGrain.DefaultKey);
            string? after = null;
            do
            {
                var page = await catalog.List(1000, after, includeArchived: true, tag: null);
                foreach (var offer in page.Offers)
                {
                    offers[offer.OfferId] = offer;
                }

                after = page.NextAfter;
            }
            while (after is not null);
        }

        var text = new System.Text.StringBuilder(CsvRecords.Line(kind == DomainKind.Churn ? TrainingRows.ChurnHeader(features) : TrainingRows.OfferHeader(features)));
        for (var shard = 0; shard < Contracts.Customers.ICustomerIndexGrain.Shards; shard++)
        {
            string? after = null;
            while (true)
            {
                var ids = await grains.GetGrain<Contracts.Customers.ICustomerIndexGrain>(shard).Page(after, ExportPage);
                if (ids.Count == 0)
                {
                    break;
                }

                var states = await Task.WhenAll(ids.Select(id => grains.GetGrain<Contracts.Customers.ICustomerGrain>(id).GetState()));
                for (var i = 0; i < ids.Count; i++)
                {
                    if (states[i] is not { } state || (kind == DomainKind.Churn && since is { } from && state.LastSeenAt < from))
                    {
                        continue;
                    }

                    var rows = kind == DomainKind.Churn ? [TrainingRows.Churn(ids[i], state, features, now)] : TrainingRows.Offers(ids[i], state, features, offers, since, now);
                    foreach (var row in rows)
                    {
                        text.Append(CsvRecords.Line(row));
                    }
                }

                if (text.Length >= ExportChunkChars)
                {
                    await responseStream.WriteAsync(new TrainingDataChunk { Csv = ByteString.CopyFromUtf8(text.ToString()) }, context.CancellationToken);
                    text.Clear();
                }

                after = ids[^1];
            }
        }

        await responseStream.WriteAsync(new TrainingDataChunk { Csv = ByteString.CopyFromUtf8(text.ToString()) }, context.CancellationToken);
    }

    // The active model's figures to beat: measured now on the candidate's own rows when they carry
    // its features (the fair comparison), else as measured when it was activated; none for a shipped seed.
    private async Task<(IReadOnlyDictionary<string, double>? Figures, string Where)> ActiveFiguresAsync(DomainKind kind, ModelBundle candidate)
    {
        if (scoring.Active(kind) is not { } active)
        {
            return (null, "");
        }

        try
        {
            var set = ValidationSet.Parse(candidate.Holdout!, active.Bundle.Manifest.Features, candidate.Manifest.LabelColumn, candidate.Manifest.Output);
            return (Measurement.Of(active, set), $"both measured on the candidate's {ValidationSet.FileName}");
        }
        catch (InvalidModelBundleException)
        {
            var entry = (await Registry.Get(Name(kind), active.Version)).Entry;
            return entry is { MeasuredMetrics.Count: > 0 } ? (entry.MeasuredMetrics, $"the active one measured on its own {ValidationSet.FileName} at its activation") : (null, "");
        }
    }

    // A kind by name (any valid name) or by the enum (churn, offer); a name, when given, must agree with the enum.
    private static DomainKind Kind(ModelKind kind, string name)
    {
        var byEnum = kind switch
        {
            ModelKind.Churn => DomainKind.Churn,
            ModelKind.Offer => DomainKind.Offer,
            ModelKind.Unspecified when name.Length > 0 => (DomainKind?)null,
            _ => throw GrpcErrors.Invalid($"kind: churn or offer, or a kind_name, got {kind}."),
        };
        if (name.Length == 0)
        {
            return byEnum!.Value;
        }

        if (DomainKind.Problem(name) is { } problem)
        {
            throw GrpcErrors.Invalid($"kind_name: {problem}.");
        }

        return byEnum is { } known && known.Name != name ? throw GrpcErrors.Invalid($"kind_name: '{name}' contradicts kind {kind}.") : new DomainKind(name);
    }

    private static string Name(DomainKind kind) => ModelEntries.Name(kind);

    private static string Version(string version) => string.IsNullOrEmpty(version) ? throw GrpcErrors.Invalid("version: is required.") : version;

    private static ModelEntry Found(ModelResult result) => result.Status == ModelResultStatus.NotFound ? throw GrpcErrors.NotFound(result.Detail) : result.Entry!;

    private static ModelVersion Checked(ModelResult result) => result.Status switch
    {
        ModelResultStatus.NotFound => throw GrpcErrors.NotFound(result.Detail),
        ModelResultStatus.AlreadyExists => throw GrpcErrors.AlreadyExists(result.Detail),
        ModelResultStatus.WrongState => throw GrpcErrors.FailedPrecondition(result.Detail),
        _ => ToContract(result.Entry!),
    };

    private static ModelVersion ToContract(ModelEntry entry)
    {
        var version = new ModelVersion
        {
            Kind = entry.Kind switch { "churn" => ModelKind.Churn, "offer" => ModelKind.Offer, _ => ModelKind.Unspecified },
            KindName = entry.Kind,
            Output = entry.Output,
            Format = entry.Format,
            Version = entry.Version,
            Status = (ModelStatus)(int)entry.Status,
            Sha256 = entry.Sha256,
            SizeBytes = entry.SizeBytes,
            Trainer = entry.Trainer,
            TrainingData = entry.TrainingData,
            CreatedAt = entry.CreatedAt.ToContractOrUnset(),
            PushedAt = entry.PushedAt.ToContractOrUnset(),
            ActivatedAt = entry.ActivatedAt.ToContractOrUnset(),
            RejectionReason = entry.RejectionReason,
        };
        foreach (var (name, value) in entry.MeasuredMetrics)
        {
            version.MeasuredMetrics[name] = value;
        }

        version.Features.AddRange(entry.Features.Select(f => new V1.FeatureSpec { Name = f.Name, Type = f.Type }));
        foreach (var (name, value) in entry.Metrics)
        {
            version.Metrics[name] = value;
        }
        return version;
    }
}
