using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Contracts.Models;
using Personalization.Contracts.Persistence;
using DecisionCapture = Personalization.Decisioning.Learning.DecisionCapture;
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
public sealed class ModelGrpcService(IGrainFactory grains, ScoringService scoring, ModelStore store, ModelSync sync, ModelSettings settings, IDecisionLog decisions, Microsoft.Extensions.Options.IOptions<DecisionLogOptions> decisionLog, IEventExport eventExport) : ModelService.ModelServiceBase
{
    private const int MaxChunkBytes = 1024 * 1024;
    private const int ExportChunkChars = 256 * 1024;
    private const int DefaultDriftDays = 7;

    /// <summary>Fewest rows of each class the service's own rows must have to measure a probability model (AUC from a handful of positives is noise).</summary>
    private const int MinServiceRowsPerClass = 5;

    private readonly TrainingRowSource _rows = new(grains, decisions, decisionLog.Value, eventExport);

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

    public override async Task<ModelVersion> GetModel(GetModelRequest request, ServerCallContext context)
    {
        var kind = Kind(request.Kind, request.KindName);
        var version = Version(request.Version);
        if (request.DriftDays is < 0 or > 90)
        {
            throw GrpcErrors.Invalid($"drift_days: between 1 and 90 (0 means {DefaultDriftDays}), got {request.DriftDays}.");
        }

        var found = Checked(await Registry.Get(Name(kind), version));
        if (await BundleAsync(kind, found.Version, found.Sha256, context.CancellationToken) is { } bundle)
        {
            var now = DateTime.UtcNow;
            await decisions.FlushAsync(context.CancellationToken);
            var content = await decisions.ReadAsync(now.AddDays(-(request.DriftDays == 0 ? DefaultDriftDays : request.DriftDays)), now, context.CancellationToken);
            found.Drift.AddRange(LoggedEvaluation.Drift(bundle, content).Select(d => new FeatureDrift
            {
                Feature = d.Feature,
                Psi = Math.Round(d.Psi, 4),
                Reading = Decisioning.Learning.PopulationStability.Reading(d.Psi),
                Warning = d.Psi > settings.DriftWarnPsi,
                LiveRows = d.Live,
                ReferenceRows = d.Reference,
            }));
        }

        return found;
    }

    public override async Task<OfflineEstimate> GetOfflineEstimate(GetOfflineEstimateRequest request, ServerCallContext context)
    {
        var version = Version(request.Version);
        var window = TrainingRowQuery.Window(request.OutcomeWindowHours, "outcome_window_hours");
        var entry = Found(await Registry.Get(Name(DomainKind.Offer), version));
        if (entry.Status == ModelEntryStatus.Rejected)
        {
            throw GrpcErrors.FailedPrecondition($"version: offer '{version}' was rejected ({entry.RejectionReason}); push a new version.");
        }

        LoadedModel model;
        try
        {
            model = scoring.Load(ModelBundle.Read(new MemoryStream(await store.GetAsync(entry.Sha256, context.CancellationToken))));
        }
        catch (InvalidModelBundleException ex)
        {
            throw GrpcErrors.FailedPrecondition($"version: offer '{version}' cannot be loaded: {ex.Message}.");
        }

        var now = DateTime.UtcNow;
        var since = request.Since?.ToDateTime() ?? now.AddDays(-7);
        await decisions.FlushAsync(context.CancellationToken);
        var content = await decisions.ReadAsync(since, now, context.CancellationToken);
        if (content.Decisions.Count > 0 && LoggedEvaluation.Unlogged(model, content) is { Count: > 0 } unlogged)
        {
            throw GrpcErrors.FailedPrecondition($"version: offer '{version}' reads {string.Join(", ", unlogged)}, which the decisions did not log; add them to DecisionLog:Features and evaluate on decisions made after that.");
        }

        var estimate = Decisioning.Learning.OfflinePolicyEvaluation.Evaluate(LoggedEvaluation.Examples(model, content, await _rows.OffersAsync(), since, window));
        return new OfflineEstimate
        {
            Version = version,
            Examples = estimate.Examples,
            Matched = estimate.Matched,
            EffectiveSize = Math.Round(estimate.EffectiveSize, 2),
            Logged = Rate(estimate.Logged, estimate.LoggedLow, estimate.LoggedHigh),
            Ips = Rate(estimate.Ips, estimate.IpsLow, estimate.IpsHigh),
            DoublyRobust = Rate(estimate.DoublyRobust, estimate.DoublyRobustLow, estimate.DoublyRobustHigh),
            Method = "each logged slate's first action with its logged propensity (exploration share x Thompson-sampling win probability, plus the greedy share); the candidate ranks the slate by its acceptance x the logged multiplier; IPS (Horvitz-Thompson) and doubly robust (Dudik, Langford and Li 2011) with the candidate's score as the reward model; normal 95% intervals",
        };
    }

    public override async Task<ModelVersion> ActivateModel(ActivateModelRequest request, ServerCallContext context)
    {
        var kind = Kind(request.Kind, request.KindName);
        var version = Version(request.Version);
        if (double.IsNaN(request.MaxAucDrop) || request.MaxAucDrop is < 0 or > 1)
        {
            throw GrpcErrors.Invalid($"max_auc_drop: between 0 and 1 (0 means {settings.MaxAucDrop.ToString(CultureInfo.InvariantCulture)}), got {request.MaxAucDrop}.");
        }

        var query = ServiceQuery(request, kind);
        var entry = Found(await Registry.Get(Name(kind), version));
        if (query is not null && entry.Status == ModelEntryStatus.Rejected)
        {
            throw GrpcErrors.FailedPrecondition($"version: {Name(kind)} '{version}' was rejected ({entry.RejectionReason}); push a new version.");
        }

        LoadedModel model;
        Dictionary<string, double> measured;
        string measuredOn;
        try
        {
            using var stream = new MemoryStream(await store.GetAsync(entry.Sha256, context.CancellationToken));
            var bundle = ModelBundle.Read(stream);
            model = scoring.Load(bundle);
            var activeModel = scoring.Active(kind);
            IReadOnlyDictionary<string, double>? active;
            string where;
            if (query is null)
            {
                var set = bundle.Validation() ?? throw new InvalidModelBundleException(
                    $"{ValidationSet.FileName}: the bundle carries no labelled validation set, so there are no metrics the service can evaluate (the manifest's are not taken on trust); add {ValidationSet.FileName} with the features and the '{bundle.Manifest.LabelColumn}' column");
                measured = Measurement.Of(model, set);
                measuredOn = Rows($"the bundle's {ValidationSet.FileName}", set, bundle.Manifest.Output);
                (active, where) = await ActiveFiguresAsync(kind, bundle);
            }
            else
            {
                var (candidateSet, activeSet) = await ServiceSetsAsync(query, version, bundle.Manifest, activeModel, context.CancellationToken);
                measured = Measurement.Of(model, candidateSet);
                measuredOn = Rows(candidateSet.Source, candidateSet, bundle.Manifest.Output);
                (active, where) = activeModel is null ? (null, "") : (Measurement.Of(activeModel, activeSet!), $"both measured on {measuredOn}");
            }

            var maxAucDrop = request.MaxAucDrop > 0 ? request.MaxAucDrop : settings.MaxAucDrop;
            if (ActivationCheck.Problem(bundle.Manifest.Output, measured, active, activeModel?.Version ?? "", where, maxAucDrop, settings.MaxCalibrationRise, settings.MaxRmseRise) is { } problem)
            {
                throw new InvalidModelBundleException(problem);
            }
        }
        catch (InvalidModelBundleException ex)
        {
            await Registry.Reject(Name(kind), version, ex.Message);
            throw GrpcErrors.FailedPrecondition($"version: {Name(kind)} '{version}' failed validation and was rejected: {ex.Message}; the active model is unchanged.");
        }

        var activated = Checked(await Registry.Activate(Name(kind), version, measured, measuredOn));
        // This silo swaps now; the others within one sync interval.
        scoring.Activate(model);
        return activated;
    }

    // The rows of the service's own data to validate on (null: the bundle's holdout.csv); INVALID_ARGUMENT
    // naming the field for a bad source or window, and for row fields set without SERVICE_DATA.
    private static TrainingRowQuery? ServiceQuery(ActivateModelRequest request, DomainKind kind)
    {
        switch (request.ValidationSource)
        {
            case ValidationSource.Unspecified or ValidationSource.Bundle:
                var stray = request.Since is not null ? "since" : request.OutcomeWindowHours != 0 ? "outcome_window_hours" : request.AsOf is not null ? "as_of" : request.LabelWindowDays != 0 ? "label_window_days" : null;
                return stray is null ? null : throw GrpcErrors.Invalid($"{stray}: the service's rows only (validation_source VALIDATION_SOURCE_SERVICE_DATA); the bundle's {ValidationSet.FileName} takes no window.");
            case ValidationSource.ServiceData:
                return TrainingRowQuery.Parse(kind, request.Since, request.OutcomeWindowHours, request.AsOf, request.LabelWindowDays, DateTime.UtcNow);
            default:
                throw GrpcErrors.Invalid($"validation_source: VALIDATION_SOURCE_BUNDLE or VALIDATION_SOURCE_SERVICE_DATA, got {request.ValidationSource}.");
        }
    }

    // The service's rows ExportTrainingData would give for the kind, with the features of both models, as the
    // candidate's and the active model's validation sets. Too little data is FAILED_PRECONDITION and leaves the
    // candidate staged: it is not the model's fault.
    private async Task<(ValidationSet Candidate, ValidationSet? Active)> ServiceSetsAsync(TrainingRowQuery query, string version, ModelManifest candidate, LoadedModel? active, CancellationToken cancellationToken)
    {
        var staged = $"the {Name(query.Kind)} '{version}' stays staged and the active model is unchanged";
        if (_rows.Unavailable(query.Kind) is { } unavailable)
        {
            throw GrpcErrors.FailedPrecondition($"validation_source: {unavailable}; {staged}.");
        }

        var activeFeatures = active?.Bundle.Manifest.Features ?? [];
        var features = candidate.Features.Concat(activeFeatures.Where(f => candidate.Features.All(c => c.Name != f.Name))).ToList();
        var set = await _rows.BuildAsync(query with { Features = features }, cancellationToken);
        var rows = await set.Rows.Select(r => (IReadOnlyList<string>)[.. r]).ToListAsync(cancellationToken);
        if (set.Unlogged.Count > 0)
        {
            var whose = candidate.Features.Any(f => f.Name == set.Unlogged[0]) ? $"the candidate '{version}'" : $"the active '{active!.Version}'";
            throw GrpcErrors.FailedPrecondition($"validation_source: {whose} reads '{set.Unlogged[0]}', which none of the decisions logged ({set.Description}, {rows.Count} rows); add it to DecisionLog:Features and validate on decisions made after that, or use the bundle's {ValidationSet.FileName}; {staged}.");
        }

        var label = TrainingRowSource.LabelColumn(query.Kind, candidate.Output);
        var candidateSet = ValidationSet.FromRows(set.Description, set.Header, rows, candidate.Features, label, candidate.Output);
        if (ValidationSet.Shortage(candidateSet.Labels.Count, candidateSet.Positives, candidate.Output, ValidationSet.MinRows, MinServiceRowsPerClass) is { } shortage)
        {
            throw GrpcErrors.FailedPrecondition($"validation_source: {set.Description}: {shortage}; widen since (or the outcome window), or wait for more traffic; {staged}.");
        }

        return (candidateSet, active is null ? null : ValidationSet.FromRows(set.Description, set.Header, rows, activeFeatures, label, candidate.Output));
    }

    // "<where>: 412 rows, 97 positives" (rows only for a value model).
    private static string Rows(string where, ValidationSet set, Scoring.Bundles.ModelOutputKind output) => output == Scoring.Bundles.ModelOutputKind.Probability
        ? string.Create(CultureInfo.InvariantCulture, $"{where}: {set.Labels.Count} rows, {set.Positives} positives")
        : string.Create(CultureInfo.InvariantCulture, $"{where}: {set.Labels.Count} rows");

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
                var (_, low, high) = Decisioning.Learning.OfflinePolicyEvaluation.ProportionInterval(c.Conversions, c.Decisions);
                results.Arms.Add(new ArmResults
                {
                    Arm = arm,
                    Version = entry.Version,
                    Decisions = c.Decisions,
                    Outcomes = c.Outcomes,
                    Conversions = c.Conversions,
                    AcceptanceRate = c.Decisions == 0 ? 0 : (double)c.Conversions / c.Decisions,
                    AcceptanceLow = low,
                    AcceptanceHigh = high,
                });
            }
        }

        return results;
    }

    public override async Task ExportTrainingData(ExportTrainingDataRequest request, IServerStreamWriter<TrainingDataChunk> responseStream, ServerCallContext context)
    {
        var kind = Kind(request.Kind, request.KindName);
        var query = TrainingRowQuery.Parse(kind, request.Since, request.OutcomeWindowHours, request.AsOf, request.LabelWindowDays, DateTime.UtcNow);
        IReadOnlyList<Decisioning.Features.FeatureSpec> features;
        if (request.Features.Count == 0)
        {
            features = scoring.Active(kind)?.Bundle.Manifest.Features
                ?? throw GrpcErrors.FailedPrecondition($"kind: no {Name(kind)} model is active, so there is no feature list to export; name the features.");
        }
        else
        {
            features = DecisionCapture.Parse(request.Features);
            for (var i = 0; i < features.Count; i++)
            {
                var problem = CustomerFeatures.Problem(features[i], kind == DomainKind.Offer)
                    ?? (features.Take(i).Any(f => f.Name == features[i].Name) ? $"feature '{features[i].Name}' is named twice" : null);
                if (problem is not null)
                {
                    throw GrpcErrors.Invalid($"features[{i}]: {problem}.");
                }
            }
        }

        if (_rows.Unavailable(kind) is { } unavailable)
        {
            throw GrpcErrors.FailedPrecondition($"kind_name: {unavailable}.");
        }

        var set = await _rows.BuildAsync(query with { Features = features }, context.CancellationToken);
        if (set.Unlogged.Count > 0)
        {
            var index = features.ToList().FindIndex(f => f.Name == set.Unlogged[0]);
            throw GrpcErrors.Invalid($"features[{index}]: '{set.Unlogged[0]}' was not logged with the decisions (logged: the active offer model's features and DecisionLog:Features).");
        }

        var text = new System.Text.StringBuilder(CsvRecords.Line(set.Header));
        await foreach (var row in set.Rows.WithCancellation(context.CancellationToken))
        {
            text.Append(CsvRecords.Line(row));
            if (text.Length >= ExportChunkChars)
            {
                await responseStream.WriteAsync(new TrainingDataChunk { Csv = ByteString.CopyFromUtf8(text.ToString()) }, context.CancellationToken);
                text.Clear();
            }
        }

        await responseStream.WriteAsync(new TrainingDataChunk { Csv = ByteString.CopyFromUtf8(text.ToString()) }, context.CancellationToken);
    }

    // A version's bundle: the serving one when it is loaded here, else from the store; null when neither has it (a shipped seed).
    private async Task<ModelBundle?> BundleAsync(DomainKind kind, string version, string sha256, CancellationToken cancellationToken)
    {
        if (scoring.Active(kind) is { } active && active.Version == version)
        {
            return active.Bundle;
        }

        try
        {
            return ModelBundle.Read(new MemoryStream(await store.GetAsync(sha256, cancellationToken)));
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or InvalidModelBundleException)
        {
            return null;
        }
    }

    private static RateInterval Rate(double rate, double low, double high) => new()
    {
        Rate = Math.Round(rate, 5),
        Low = double.IsFinite(low) ? Math.Round(low, 5) : 0,
        High = double.IsFinite(high) ? Math.Round(high, 5) : 1,
    };

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
            MeasuredOn = entry.MeasuredOn,
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
