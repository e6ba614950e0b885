namespace Beamwire.Hosting.Configuration;

/// <summary>A configuration key or value Beamwire cannot use; the message names the key, the value and what the key takes.</summary>
public sealed class BeamwireConfigurationException : Exception
{
    public BeamwireConfigurationException(string key, string? value, string problem)
        : base(value is null ? $"Configuration key '{key}' {problem}." : $"Configuration key '{key}' = '{value}' {problem}.")
    {
        Key = key;
        Value = value;
    }

    public BeamwireConfigurationException() { }

    public BeamwireConfigurationException(string message) : base(message) { }

    public BeamwireConfigurationException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The full configuration path (<c>Beamwire:NetTickTime</c>, or an environment variable's name).</summary>
    public string? Key { get; }

    /// <summary>The value found, or null when the key has none.</summary>
    public string? Value { get; }
}
