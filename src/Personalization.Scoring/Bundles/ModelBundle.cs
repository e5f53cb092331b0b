using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Personalization.Decisioning.Features;

namespace Personalization.Scoring.Bundles;

/// <summary>
/// A model bundle: one zip holding <c>manifest.json</c>, the model (<c>model.zip</c> for ML.NET,
/// <c>model.onnx</c> for ONNX) and, to be activated, <c>holdout.csv</c>: a labelled validation set
/// the service measures the model on. Reading checks everything that can be checked without
/// scoring: the zip, the manifest, the kind and its output, the content hash, that every feature
/// can be built, and that the validation set parses.
/// </summary>
public sealed record ModelBundle(ModelManifest Manifest, byte[] Model, byte[]? Holdout = null)
{
    private const string ManifestEntry = "manifest.json";

    /// <summary>How manifests are written and read.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>Lower-case hex SHA-256 of some bytes.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Reads and checks a bundle; throws <see cref="InvalidModelBundleException"/> with the reason.</summary>
    public static ModelBundle Read(Stream stream)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var manifestEntry = zip.GetEntry(ManifestEntry) ?? throw new InvalidModelBundleException($"the bundle has no {ManifestEntry}");
            ModelManifest manifest;
            try
            {
                using var manifestStream = manifestEntry.Open();
                manifest = JsonSerializer.Deserialize<ModelManifest>(manifestStream, Json) ?? throw new InvalidModelBundleException("manifest.json is empty");
            }
            catch (JsonException ex)
            {
                throw new InvalidModelBundleException($"manifest.json does not parse: {ex.Message}", ex);
            }

            var modelName = ModelEntryName(manifest.Format);
            var modelEntry = zip.GetEntry(modelName) ?? throw new InvalidModelBundleException($"the bundle has no {modelName} (format {manifest.Format.ToString().ToLowerInvariant()})");
            var holdoutEntry = zip.GetEntry(ValidationSet.FileName);
            var bundle = new ModelBundle(manifest, ReadAll(modelEntry), holdoutEntry is null ? null : ReadAll(holdoutEntry));
            bundle.Check();
            return bundle;
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidModelBundleException($"the bundle is not a valid zip: {ex.Message}", ex);
        }
    }

    /// <summary>Reads and checks a bundle file.</summary>
    public static ModelBundle Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file);
    }

    /// <summary>Writes the bundle as a zip.</summary>
    public void Write(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var manifest = zip.CreateEntry(ManifestEntry).Open())
        {
            JsonSerializer.Serialize(manifest, Manifest, Json);
        }

        using (var model = zip.CreateEntry(ModelEntryName(Manifest.Format)).Open())
        {
            model.Write(Model);
        }

        if (Holdout is not null)
        {
            using var holdout = zip.CreateEntry(ValidationSet.FileName).Open();
            holdout.Write(Holdout);
        }
    }

    /// <summary>The bundle's labelled validation set, or null when it carries none.</summary>
    public ValidationSet? Validation() => Holdout is null ? null : ValidationSet.Parse(Holdout, Manifest.Features, Manifest.LabelColumn, Manifest.Output);

    /// <summary>The model file's name inside the bundle for a format.</summary>
    public static string ModelEntryName(ModelFormat format) => format == ModelFormat.Onnx ? "model.onnx" : "model.zip";

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var bytes = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(bytes);
        }

        return bytes.ToArray();
    }

    /// <summary>The bundle as zip bytes.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Write(stream);
        return stream.ToArray();
    }

    private void Check()
    {
        if (ModelKind.Problem(Manifest.Kind.Name) is { } kindProblem)
        {
            throw new InvalidModelBundleException(kindProblem);
        }

        if (!Enum.IsDefined(Manifest.Format) || !Enum.IsDefined(Manifest.Output))
        {
            throw new InvalidModelBundleException("the manifest's format must be mlnet or onnx and its output probability or value");
        }

        if (ModelKinds.RequiredOutput(Manifest.Kind) is { } required && Manifest.Output != required)
        {
            throw new InvalidModelBundleException($"output: a {Manifest.Kind} model answers a {required.ToString().ToLowerInvariant()}, the manifest says {Manifest.Output.ToString().ToLowerInvariant()}");
        }

        if (string.IsNullOrWhiteSpace(Manifest.Version))
        {
            throw new InvalidModelBundleException("the manifest has no version");
        }

        if (Sha256(Model) != Manifest.ContentSha256)
        {
            throw new InvalidModelBundleException($"{ModelEntryName(Manifest.Format)} does not match the manifest's content_sha256 ({Manifest.ContentSha256})");
        }

        if (Manifest.Features is not { Count: > 0 })
        {
            throw new InvalidModelBundleException("the manifest lists no features");
        }

        foreach (var feature in Manifest.Features)
        {
            if (CustomerFeatures.Problem(feature, Manifest.Kind == ModelKind.Offer) is { } problem)
            {
                throw new InvalidModelBundleException($"the service cannot build {problem}");
            }
        }

        // A bad validation set is refused at push, not found out at activation.
        Validation();
    }
}
