using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>A cached score of an open model kind (clv, purchase-propensity, ...): the kind's name and the score.</summary>
[GenerateSerializer, Immutable]
public sealed record KindScore([property: Id(0)] string Kind, [property: Id(1)] ScoreEntry Score)
{
    /// <summary>
    /// The cached score a rule field names, or null: the kind's name, or the name with underscores
    /// for hyphens (<c>purchase_propensity</c> for <c>purchase-propensity</c>). Pure.
    /// </summary>
    public static double? Of(IReadOnlyList<KindScore> scores, string field)
    {
        foreach (var score in scores)
        {
            if (Names(score.Kind, field))
            {
                return score.Score.Value;
            }
        }

        return null;
    }

    /// <summary>Whether a rule field names a kind: its name, or the name with underscores for hyphens.</summary>
    public static bool Names(string kind, string field) => kind == field || (kind.Length == field.Length && kind.Replace('-', '_') == field);
}
