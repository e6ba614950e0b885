using System.Net;
using System.Net.Sockets;
using Beamwire.Cluster.Gossip;
using Beamwire.Cluster.Strategies;
using Beamwire.Cluster.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Cluster.Tests.Interop;

/// <summary>
/// Gossip against real Elixir code: heartbeats Elixir builds (term_to_binary, :crypto AES-256-CBC) and
/// sends with :gen_udp make a Beamwire node connect to that Elixir node; Beamwire's heartbeats open and
/// decode in Elixir to the Beamwire node's name. Unicast over loopback here (multicast runs in a
/// network namespace, see GossipMulticastTests); garbage and oversized datagrams change nothing.
/// </summary>
public sealed class GossipWireTests
{
    private const string Secret = "somepassword";

    private static string ElixirSeal(string nodeExpr, bool secret) => secret
        ? $$"""
          (fn ->
            key = :crypto.hash(:sha256, "{{Secret}}")
            iv = :crypto.strong_rand_bytes(16)
            plain = "heartbeat::" <> :erlang.term_to_binary(%{node: {{nodeExpr}}})
            pad = 16 - rem(byte_size(plain), 16)
            iv <> :crypto.crypto_one_time(:aes_256_cbc, key, iv, plain <> :binary.copy(<<pad>>, pad), true)
          end).()
          """
        : $"\"heartbeat::\" <> :erlang.term_to_binary(%{{node: {nodeExpr}}})";

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Elixir_heartbeat_sent_with_gen_udp_makes_beamwire_connect(OtpRelease release)
    {
        await RunAsync(release, secret: false);
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Elixir_heartbeat_sealed_with_the_secret_makes_beamwire_connect(OtpRelease release)
    {
        await RunAsync(release, secret: true);
    }

    private static async Task RunAsync(OtpRelease release, bool secret)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new LogLines();
        await using var node = await ClusterNodes.StartAsync(epmd.Port, log);
        var port = FreePort.Next();
        var config = ClusterNodes.FastRetry(("IfAddr", "127.0.0.1"), ("Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("MulticastAddr", "127.0.0.1"), ("BroadcastOnly", "true"));
        if (secret) config["Secret"] = Secret;
        await using var cluster = await ClusterService.StartAsync(node, new ClusterOptions().Add("gossip_example", "Gossip", config), log);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = PeerKind.Elixir, EpmdPort = epmd.Port });
        await peer.EvalAsync("{:ok, s} = :gen_udp.open(0, [:binary]); s");

        // Garbage first: random bytes, a heartbeat prefix with broken ETF, an oversized datagram,
        // a plaintext heartbeat to a secret node (or a ciphertext to a plain one). None may connect.
        var garbage = new[]
        {
            "<<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20>>",
            "\"heartbeat::\" <> <<131, 116, 255, 255, 255, 255>>",
            "\"heartbeat::\" <> :binary.copy(<<0>>, 4000)",
            secret ? ElixirSeal("node()", false) : ElixirSeal("node()", true),
            "\"heartbeat::\" <> :erlang.term_to_binary(%{node: \"not an atom\"})",
        };
        foreach (var g in garbage)
            Assert.Equal(":ok", await peer.EvalTextAsync($":gen_udp.send(s, {{127, 0, 0, 1}}, {port}, {g})"));
        var gossip = Strategy(cluster);
        await Until(() => gossip.Dropped >= garbage.Length, () => $"dropped {gossip.Dropped}");
        Assert.Empty(node.Nodes());
        Assert.Equal(0, gossip.Received);

        Assert.Equal(":ok", await peer.EvalTextAsync($":gen_udp.send(s, {{127, 0, 0, 1}}, {port}, {ElixirSeal("node()", secret)})"));
        var inspected = (await peer.EvalTextAsync($"inspect(node())")).Trim('"');
        await log.WaitForAsync($"[libcluster:gossip_example] connected to {inspected}");
        Assert.Contains(node.Self.Full, await peer.EvalTextAsync("inspect(Node.list())"));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Beamwire_heartbeat_decodes_in_elixir_to_the_beamwire_node(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = PeerKind.Elixir, EpmdPort = epmd.Port });
        var name = "bw@100.64.18.7";
        var plain = Convert.ToBase64String(HeartbeatCodec.Encode(name));
        Assert.Equal("%{node: :\"bw@100.64.18.7\"}",
            await peer.EvalTextAsync($"\"heartbeat::\" <> etf = Base.decode64!(\"{plain}\"); inspect(:erlang.binary_to_term(etf))").ContinueWith(t => t.Result.Trim('"').Replace("\\\"", "\"", StringComparison.Ordinal)));

        using var cipher = new HeartbeatCipher(Secret, HeartbeatCipher.Mode.Cbc);
        var sealedBytes = new byte[HeartbeatCipher.MaxSealedLength(64)];
        var len = cipher.Seal(HeartbeatCodec.Encode(name), sealedBytes, 0);
        var packet = Convert.ToBase64String(sealedBytes, 0, len);
        var opened = await peer.EvalTextAsync(
            $"<<iv::binary-16, ct::binary>> = Base.decode64!(\"{packet}\"); " +
            $"p = :crypto.crypto_one_time(:aes_256_cbc, :crypto.hash(:sha256, \"{Secret}\"), iv, ct, false); " +
            "\"heartbeat::\" <> etf = binary_part(p, 0, byte_size(p) - :binary.last(p)); " +
            "inspect(:erlang.binary_to_term(etf))");
        Assert.Equal("%{node: :\"bw@100.64.18.7\"}", opened.Trim('"').Replace("\\\"", "\"", StringComparison.Ordinal));
    }

    internal static GossipStrategy Strategy(ClusterService cluster) =>
        (GossipStrategy)typeof(ClusterTopology).GetField("_strategy", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(cluster.Topologies[0])!;

    private static async Task Until(Func<bool> done, Func<string> state)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!done())
        {
            if (limit.IsCancellationRequested) throw new TimeoutException(state());
            await Task.Delay(20);
        }
    }
}
