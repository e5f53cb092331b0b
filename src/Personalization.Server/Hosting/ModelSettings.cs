using System.ComponentModel.DataAnnotations;

namespace Personalization.Server.Hosting;

/// <summary>Model bundles: the shipped defaults, the pushed ones in blob storage, how silos follow activations (section <c>Models</c>).</summary>
public sealed class ModelSettings
{
    public const string Section = "Models";

    /// <summary>Folder with <c>churn/</c> and <c>offer/</c> subfolders of bundles, relative to the content root; the newest bundle of each loads at start-up.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Directory { get; set; } = "models";

    /// <summary>Blob container (on the <c>Storage</c> account) of pushed bundles, named by their SHA-256.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Container { get; set; } = "models";

    /// <summary>How often each silo asks the model registry what it should serve.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most a new version's AUC may fall below the active one's, unless an activation says otherwise.</summary>
    [Range(0.0, 1.0)]
    public double MaxAucDrop { get; set; } = 0.02;

    /// <summary>The most a new probability model's measured calibration error may exceed the active one's.</summary>
    [Range(0.0, 1.0)]
    public double MaxCalibrationRise { get; set; } = 0.05;

    /// <summary>The most a new value model's measured RMSE may exceed the active one's, as a share of it.</summary>
    [Range(0.0, 10.0)]
    public double MaxRmseRise { get; set; } = 0.1;

    /// <summary>A feature whose population stability index (live decision-time values against the hold-out) is above this is flagged in GetModel.</summary>
    [Range(0.0, 10.0)]
    public double DriftWarnPsi { get; set; } = 0.25;

    /// <summary>
    /// How often each silo measures, for the <c>personalization.model.drift.psi</c> gauge, the drift of
    /// the models it serves (as GetModel computes it, over the last <see cref="DriftDays"/> of the
    /// decision log); zero (the default) turns the gauge off. Each measurement reads that whole window of the
    /// log on every silo, so turn it on with a window and an interval the log's size allows.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DriftInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Days of logged decisions the drift gauge compares with each model's hold-out.</summary>
    [Range(1, 90)]
    public int DriftDays { get; set; } = 1;

    /// <summary>Largest bundle accepted by a push.</summary>
    [Range(1024, 1L << 30)]
    public long MaxBundleBytes { get; set; } = 64L * 1024 * 1024;
}
