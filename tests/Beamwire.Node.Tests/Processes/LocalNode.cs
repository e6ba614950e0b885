using System.Net;
using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;

namespace Beamwire.Node.Tests.Processes;

/// <summary>A node for process tests that need no peer: no epmd, a free loopback port.</summary>
internal static class LocalNode
{
    public static Task<BeamNode> StartAsync(CapturingLogger? log = null) => BeamNode.StartAsync(new BeamNodeOptions
    {
        Name = TestHost.UniqueName("bwp"),
        Cookie = TestNodes.Cookie,
        Epmd = EpmdMode.Disabled,
        ListenAddress = IPAddress.Loopback,
        ListenPort = FreePort.Next(),
        PeerPort = 1,
    }, log);

    public static ErlangAtom Atom(string name) => ErlangAtom.Get(name);

    /// <summary>True for a tuple whose first element is the atom <paramref name="tag"/>.</summary>
    public static bool Tagged(ErlangTerm m, string tag) => m is ErlangTuple { Count: > 0 } t && t[0] is ErlangAtom a && a.Name == tag;
}
