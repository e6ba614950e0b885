using System.Net;
using Beamwire.Testing;

namespace Beamwire.Node.Tests.Support;

/// <summary>Starting Beamwire nodes for tests: loopback only, a private epmd, unique names, explicit cookies.</summary>
internal static class TestNodes
{
    public const string Cookie = "beamwire-test";

    public static BeamNodeOptions Options(int epmdPort, string? name = null, string cookie = Cookie) => new()
    {
        Name = name ?? TestHost.UniqueName("bw"),
        Cookie = cookie,
        EpmdPort = epmdPort,
        Epmd = EpmdMode.External,
        ListenAddress = IPAddress.Loopback,
        HandshakeTimeout = TimeSpan.FromSeconds(5),
    };

    public static Task<BeamNode> StartAsync(int epmdPort, string? name = null, string cookie = Cookie, CapturingLogger? log = null, Action<BeamNodeOptions>? configure = null)
    {
        var options = Options(epmdPort, name, cookie);
        configure?.Invoke(options);
        return BeamNode.StartAsync(options, log);
    }

    /// <summary>A node without epmd on a fixed port that finds its peers on <paramref name="peerPort"/> (pairs of Beamwire nodes).</summary>
    public static Task<BeamNode> StartWithoutEpmdAsync(string prefix, int listenPort, int peerPort) => BeamNode.StartAsync(new BeamNodeOptions
    {
        Name = TestHost.UniqueName(prefix),
        Cookie = Cookie,
        Epmd = EpmdMode.Disabled,
        ListenAddress = IPAddress.Loopback,
        ListenPort = listenPort,
        PeerPort = peerPort,
    });

    /// <summary>Waits until <paramref name="condition"/> holds, polling; false when it never did.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(25);
        }

        return condition();
    }

    /// <summary>Polls an expression on a peer until it prints <paramref name="expected"/>.</summary>
    public static async Task<string> EventuallyEvalAsync(ErlangPeer peer, string expression, string expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        string last;
        do
        {
            last = await peer.EvalTextAsync(expression);
            if (last == expected) return last;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        return last;
    }
}
