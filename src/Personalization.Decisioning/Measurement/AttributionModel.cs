namespace Personalization.Decisioning.Measurement;

/// <summary>How a conversion's credit is split over the touches before it (all are computed; a report picks one).</summary>
public enum AttributionModel
{
    /// <summary>All credit to the last touch before the conversion.</summary>
    LastTouch = 0,

    /// <summary>All credit to the first touch in the window.</summary>
    FirstTouch = 1,

    /// <summary>Equal credit to every touch in the window.</summary>
    Linear = 2,

    /// <summary>Credit halving every half-life back from the conversion.</summary>
    TimeDecay = 3,

    /// <summary>40% to the first touch, 40% to the last, 20% split over those between (U-shaped).</summary>
    PositionBased = 4,
}
