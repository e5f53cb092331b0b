using System.Runtime.CompilerServices;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Learning;
using Personalization.Decisioning.Offers;
using Personalization.Scoring.Bundles;
using DomainKind = Personalization.Scoring.Bundles.ModelKind;

namespace Personalization.Server.Models;

/// <summary>
/// Builds the training rows of a <see cref="TrainingRowQuery"/> from what the service itself logged:
/// offer rows from the decision log joined to outcomes (features as logged at decision time), churn
/// rows from customer state, snapshot rows replayed from the event export. <c>ExportTrainingData</c>
/// streams them; activation on the service's data measures models on them.
/// </summary>
public sealed class TrainingRowSource(IGrainFactory grains, IDecisionLog decisions, DecisionLogOptions decisionLog, IEventExport eventExport)
{
    private const int Page = 256;

    /// <summary>Why the kind's rows cannot be built here (the event export is off for snapshot kinds), or null.</summary>
    public string? Unavailable(DomainKind kind) =>
        TrainingRowQuery.IsSnapshot(kind) && !eventExport.Enabled
            ? "snapshot rows are rebuilt from the event export, which is off (EventExport:Enabled, on Azure storage)"
            : null;

    /// <summary>The label column of the kind's rows for a model answering <paramref name="output"/>.</summary>
    public static string LabelColumn(DomainKind kind, ModelOutputKind output) =>
        kind == DomainKind.Offer ? "accepted"
        : kind == DomainKind.Churn ? "churned"
        : output == ModelOutputKind.Probability ? SnapshotRows.PurchasedLabel : SnapshotRows.RevenueLabel;

    /// <summary>
    /// The header, the rows and, for offer rows, the features no decision in the window logged (rows are
    /// built anyway; the caller refuses). Call <see cref="Unavailable"/> first.
    /// </summary>
    public async Task<TrainingRowSet> BuildAsync(TrainingRowQuery query, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        if (query.Kind == DomainKind.Offer)
        {
            // Offer rows come from the decision log: the features as the decision saw them, never rebuilt from today's state.
            var since = query.Since ?? now.AddDays(-decisionLog.RetentionDays);
            await decisions.FlushAsync(cancellationToken);
            var content = await decisions.ReadAsync(since, now, cancellationToken);
            var unlogged = content.Decisions.Count > 0 ? PointInTimeRows.Unlogged(query.Features, content.Decisions) : [];
            var offers = await OffersAsync();
            return new TrainingRowSet([.. PointInTimeRows.OfferHeader(query.Features)], PointInTimeRows.Offers(content, query.Features, offers, query.Since, query.OutcomeWindow).ToAsyncEnumerable(), unlogged, query.Describe(since));
        }

        if (query.Snapshot)
        {
            // This silo's queued events are written first; another silo's last flush interval may still be on its way.
            await eventExport.FlushAsync(cancellationToken);
            var events = await eventExport.ReadAsync(null, cancellationToken);
            return new TrainingRowSet([.. SnapshotRows.Header(query.Features)], SnapshotRows.Rows(events, query.Features, query.AsOf, query.LabelWindow).ToAsyncEnumerable(), [], query.Describe(now));
        }

        return new TrainingRowSet([.. TrainingRows.ChurnHeader(query.Features)], ChurnRowsAsync(query.Features, query.Since, now, cancellationToken), [], query.Describe(now));
    }

    /// <summary>The offer catalog by id, archived offers included.</summary>
    public async Task<Dictionary<string, Offer>> OffersAsync()
    {
        var offers = new Dictionary<string, Offer>(StringComparer.Ordinal);
        var catalog = grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey);
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
        return offers;
    }

    private async IAsyncEnumerable<IEnumerable<string>> ChurnRowsAsync(IReadOnlyList<FeatureSpec> features, DateTime? since, DateTime now, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var shard = 0; shard < ICustomerIndexGrain.Shards; shard++)
        {
            string? after = null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ids = await grains.GetGrain<ICustomerIndexGrain>(shard).Page(after, Page);
                if (ids.Count == 0)
                {
                    break;
                }

                var states = await Task.WhenAll(ids.Select(id => grains.GetGrain<ICustomerGrain>(id).GetState()));
                for (var i = 0; i < ids.Count; i++)
                {
                    if (states[i] is not { } state || (since is { } from && state.LastSeenAt < from))
                    {
                        continue;
                    }

                    yield return TrainingRows.Churn(ids[i], state, features, now);
                }

                after = ids[^1];
            }
        }
    }
}
