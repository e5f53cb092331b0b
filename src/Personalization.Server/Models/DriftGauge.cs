using System.Diagnostics.Metrics;
using Personalization.Contracts.Diagnostics;
using Personalization.Contracts.Persistence;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Validation;
using Personalization.Server.Hosting;

namespace Personalization.Server.Models;

/// <summary>
/// Drift as metrics: every <see cref="ModelSettings.DriftInterval"/> this silo measures, for each model
/// version it serves (champion and challenger of every kind), the population stability index of each
/// logged feature against the bundle's hold-out — the computation GetModel shows
/// (<see cref="LoggedEvaluation.Drift"/>) — and publishes it as the gauge
/// <c>personalization.model.drift.psi</c> tagged kind, version, arm and feature. The gauge reports
/// the latest measurement; the decision log is read once per interval, never per collection.
/// </summary>
public sealed partial class DriftGauge(ScoringService scoring, IDecisionLog decisions, ModelSettings settings, IMeterFactory meters, TimeProvider time, ILogger<DriftGauge> logger)
    : BackgroundService
{
    /// <summary>The gauge's name.</summary>
    public const string InstrumentName = "personalization.model.drift.psi";

    private volatile IReadOnlyList<Measurement<double>> _latest = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.DriftInterval > TimeSpan.Zero)
        {
            meters.Create(ProductTelemetry.Name).CreateObservableGauge(InstrumentName, () => _latest, "1",
                "Population stability index of a feature's logged decision-time values against the model's hold-out, per kind, version, arm and feature (above 0.25: a shift worth a look).");
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.DriftInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.DriftInterval, time);
        do
        {
            try
            {
                await MeasureAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDriftFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task MeasureAsync(CancellationToken cancellationToken)
    {
        var models = scoring.ActiveKinds
            .SelectMany(kind => new[] { (Model: scoring.Active(kind), Arm: "champion"), (Model: scoring.Challenger(kind)?.Model, Arm: "challenger") })
            .Where(m => m.Model?.Bundle.Holdout is not null)
            .ToList();
        if (models.Count == 0)
        {
            _latest = [];
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var content = await decisions.ReadAsync(now.AddDays(-settings.DriftDays), now, cancellationToken);
        var measured = new List<Measurement<double>>();
        foreach (var (model, arm) in models)
        {
            var manifest = model!.Bundle.Manifest;
            foreach (var (feature, psi, live, reference) in LoggedEvaluation.Drift(model.Bundle, content))
            {
                if (live > 0 && reference > 0 && double.IsFinite(psi))
                {
                    measured.Add(new Measurement<double>(Math.Round(psi, 4),
                        new KeyValuePair<string, object?>("kind", manifest.Kind.Name),
                        new KeyValuePair<string, object?>("version", manifest.Version),
                        new KeyValuePair<string, object?>("arm", arm),
                        new KeyValuePair<string, object?>("feature", feature)));
                }
            }
        }

        _latest = measured;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift measurement failed: {Reason}")]
    private static partial void LogDriftFailed(ILogger logger, string reason);
}
