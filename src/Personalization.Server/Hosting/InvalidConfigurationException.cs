namespace Personalization.Server.Hosting;

/// <summary>A setting is missing, unknown or malformed; the message names it.</summary>
public sealed class InvalidConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
