namespace Personalization.Decisioning.Measurement;

/// <summary>
/// The credit one touch gets for one conversion under one model: its share (the shares of a
/// conversion sum to 1) and its value in minor units (cents; the values sum to the conversion's
/// value exactly).
/// </summary>
public sealed record TouchCredit(Touch Touch, double Share, long ValueCents)
{
    /// <summary>The credited value in major units.</summary>
    public double Value => ValueCents / 100.0;
}
