using System.ComponentModel.DataAnnotations;

namespace Personalization.Server.Hosting;

/// <summary>Where the default model bundles are (section <c>Models</c>).</summary>
public sealed class ModelSettings
{
    public const string Section = "Models";

    /// <summary>Folder with <c>churn/</c> and <c>offer/</c> subfolders of bundles, relative to the content root; the newest bundle of each loads at start-up.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Directory { get; set; } = "models";
}
