using System.Net;
using Beamwire.Node;
using Beamwire.Testing;

namespace Beamwire.Cluster.Tests.Support;

internal static class ClusterNodes
{
    public const string Cookie = "beamwire-test";

    /// <summary>A Beamwire node with a short name registered in the given (real) epmd.</summary>
    public static Task<BeamNode> StartAsync(int epmdPort, LogLines? log = null, string prefix = "bwc") => BeamNode.StartAsync(new BeamNodeOptions
    {
        Name = TestHost.UniqueName(prefix),
        Cookie = Cookie,
        Epmd = EpmdMode.External,
        EpmdPort = epmdPort,
        ListenAddress = IPAddress.Any,
    }, log);

    /// <summary>Short retry delays, so a test waits for a peer's start, not for a long backoff.</summary>
    public static Dictionary<string, string> FastRetry(params (string Key, string Value)[] more)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["RetryInterval"] = "100ms",
            ["RetryMaxInterval"] = "500ms",
        };
        foreach (var (k, v) in more) d[k] = v;
        return d;
    }
}
