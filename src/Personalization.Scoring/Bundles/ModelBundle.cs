using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Personalization.Decisioning.Features;

namespace Personalization.Scoring.Bundles;

/// <summary>
/// A model bundle: one zip holding <c>manifest.json</c> and <c>model.zip</c> (the ML.NET model).
/// Reading checks everything that can be checked without scoring: the zip, the manifest, the
/// kind, the content hash, and that every feature can be built.
/// </summary>
public sealed record ModelBundle(ModelManifest Manifest, byte[] Model)
{
    private const string ManifestEntry = "manifest.json";
    private const string ModelEntry = "model.zip";

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
            var modelEntry = zip.GetEntry(ModelEntry) ?? throw new InvalidModelBundleException($"the bundle has no {ModelEntry}");
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

            using var model = new MemoryStream();
            using (var modelStream = modelEntry.Open())
            {
                modelStream.CopyTo(model);
            }

            var bundle = new ModelBundle(manifest, model.ToArray());
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

        using var model = zip.CreateEntry(ModelEntry).Open();
        model.Write(Model);
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
        if (!Enum.IsDefined(Manifest.Kind))
        {
            throw new InvalidModelBundleException($"unknown model kind {(int)Manifest.Kind}");
        }

        if (string.IsNullOrWhiteSpace(Manifest.Version))
        {
            throw new InvalidModelBundleException("the manifest has no version");
        }

        if (Sha256(Model) != Manifest.ContentSha256)
        {
            throw new InvalidModelBundleException($"model.zip does not match the manifest's content_sha256 ({Manifest.ContentSha256})");
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
    }
}
