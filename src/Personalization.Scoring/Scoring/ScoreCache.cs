using Personalization.Decisioning.Customers;

namespace Personalization.Scoring.Scoring;

/// <summary>Keeps a customer's cached scores of the open kinds current, the way churn's is kept: rescored after 5 events, a day, or a model change.</summary>
public static class ScoreCache
{
    /// <summary>
    /// One entry per model, in the models' order: the cached one while it stands for this state,
    /// version and time, else a fresh score. Kinds without an active model drop out.
    /// </summary>
    public static KindScore[] Refresh(CustomerState state, IReadOnlyList<KindScore> cached, IReadOnlyList<LoadedModel> models, DateTime now)
    {
        if (models.Count == 0)
        {
            return [];
        }

        var scores = new KindScore[models.Count];
        for (var i = 0; i < models.Count; i++)
        {
            var model = models[i];
            var kind = model.Bundle.Manifest.Kind.Name;
            var known = cached.FirstOrDefault(c => c.Kind == kind);
            scores[i] = known is not null && known.Score.IsCurrent(state, model.Version, now)
                ? known
                : new KindScore(kind, new ScoreEntry(model.Score(state, now), model.Version, now, state.EventCount));
        }

        return scores;
    }
}
