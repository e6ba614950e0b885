namespace Beamwire.Cluster.Configuration;

/// <summary>A topology that cannot start: the message names the key, the value and what is allowed.</summary>
public sealed class ClusterConfigurationException(string message) : Exception(message);
