namespace Personalization.Scoring.Bundles;

/// <summary>A bundle cannot be used; the message says why. The active model stays active.</summary>
public sealed class InvalidModelBundleException(string message, Exception? inner = null) : Exception(message, inner);
