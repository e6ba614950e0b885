using Beamwire.Testing;

namespace Beamwire.Node.Tests.Support;

/// <summary>One member of a test cluster: a Beamwire node or a BEAM peer (erl or Elixir).</summary>
internal sealed class MeshMember
{
    public MeshMember(BeamNode node) => Node = node;

    public MeshMember(ErlangPeer peer) => Peer = peer;

    public BeamNode? Node { get; }

    public ErlangPeer? Peer { get; }

    public string Name => Node?.Self.Full ?? Peer!.NodeName;

    /// <summary>'b' Beamwire, 'e' erl, 'x' Elixir.</summary>
    public char Kind => Node is not null ? 'b' : Peer!.Options.Kind == PeerKind.Elixir ? 'x' : 'e';

    public async Task ConnectAsync(MeshMember other)
    {
        if (Node is not null)
        {
            if (!await Node.ConnectAsync(other.Name)) throw new InvalidOperationException($"{Name} could not connect to {other.Name}");
            return;
        }

        var expr = Kind == 'x' ? $":net_kernel.connect_node(:\"{other.Name}\")" : $"net_kernel:connect_node('{other.Name}').";
        var result = await Peer!.EvalTextAsync(expr);
        if (result != "true") throw new InvalidOperationException($"{Name} could not connect to {other.Name}: {result}");
    }

    public async Task<IReadOnlyCollection<string>> VisibleNodesAsync()
    {
        if (Node is not null) return Node.Nodes().Select(n => n.Full).ToHashSet();
        var expr = Kind == 'x' ? ":erlang.nodes() |> Enum.map(&Atom.to_string/1) |> Enum.join(\",\")" : "string:join([atom_to_list(N) || N <- nodes()], \",\").";
        var text = (await Peer!.EvalTextAsync(expr)).Trim('"');
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    public override string ToString() => Name;
}

/// <summary>A set of members started from a mix string ('b' Beamwire, 'e' erl, 'x' Elixir), all on one epmd.</summary>
internal sealed class MeshCluster : IAsyncDisposable
{
    private MeshCluster(List<MeshMember> members) => Members = members;

    public List<MeshMember> Members { get; }

    /// <summary>The Beamwire members' log (also written to the file BEAMWIRE_TEST_LOG names, when set).</summary>
    public static CapturingLogger Log { get; } = new();

    public List<BeamNode> Nodes => Members.Where(m => m.Node is not null).Select(m => m.Node!).ToList();

    public List<ErlangPeer> Peers => Members.Where(m => m.Peer is not null).Select(m => m.Peer!).ToList();

    public static async Task<MeshCluster> StartAsync(OtpRelease release, int epmdPort, string mix, Action<BeamNodeOptions>? configure = null)
    {
        var starts = mix.Select(async c => c switch
        {
            'b' => new MeshMember(await TestNodes.StartAsync(epmdPort, log: Log, configure: configure)),
            _ => new MeshMember(await ErlangPeer.StartAsync(new PeerOptions(release)
            {
                Kind = c == 'x' ? PeerKind.Elixir : PeerKind.Erl, SName = TestHost.UniqueName(c.ToString()), EpmdPort = epmdPort, Cookie = TestNodes.Cookie,
            })),
        }).ToList();
        try
        {
            return new MeshCluster([.. await Task.WhenAll(starts)]);
        }
        catch
        {
            foreach (var s in starts.Where(s => s.IsCompletedSuccessfully)) await DisposeMemberAsync(s.Result);
            throw;
        }
    }

    private static async ValueTask DisposeMemberAsync(MeshMember m)
    {
        if (m.Node is not null) await m.Node.DisposeAsync();
        if (m.Peer is not null) await m.Peer.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var m in Members) await DisposeMemberAsync(m);
    }
}
