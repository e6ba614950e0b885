using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Beamwire.Cluster.Configuration;
using Beamwire.Cluster.Diagnostics;
using Beamwire.Cluster.Gossip;

namespace Beamwire.Cluster.Strategies;

/// <summary>
/// libcluster's <c>Cluster.Strategy.Gossip</c>, on the wire byte for byte: heartbeats to
/// <c>MulticastAddr:Port</c> (233.252.1.32:45892, TTL 1) or broadcast (<c>BroadcastOnly</c>) every random
/// 1–5 s, optionally sealed with <c>Secret</c> (AES-256-CBC, libcluster-compatible) or, with
/// <c>Authenticated=true</c>, AES-256-GCM with a replay window (Beamwire nodes only). Received names
/// are connected; garbage is ignored and counted; at most <c>MaxNodes</c> distinct names are tracked.
/// </summary>
public sealed class GossipStrategy(GossipSettings settings) : IClusterStrategy
{
    /// <summary>How long a name heard once stays a member without another heartbeat.</summary>
    public static readonly TimeSpan MemberExpiry = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, (DateTimeOffset Heard, long LastStamp)> _heard = new(StringComparer.Ordinal);
    private long _dropped;
    private long _received;

    public static StrategyDescriptor Descriptor { get; } = new("Gossip", c => new GossipStrategy(GossipSettings.Read(c)));

    /// <summary>Datagrams ignored so far (garbage, wrong key, replays, over the cap).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Heartbeats accepted so far (own ones excluded).</summary>
    public long Received => Interlocked.Read(ref _received);

    public async Task RunAsync(ITopologyContext context, CancellationToken cancellationToken)
    {
        using var socket = Open();
        using var cipher = settings.Secret is { } s ? new HeartbeatCipher(s, settings.Authenticated ? HeartbeatCipher.Mode.Authenticated : HeartbeatCipher.Mode.Cbc) : null;
        var destination = new IPEndPoint(settings.MulticastAddr, settings.Port);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var send = SendLoopAsync(socket, cipher, destination, context, stop.Token);
        try
        {
            await ReceiveLoopAsync(socket, cipher, context, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try { await send.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
    }

    private Socket Open()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.EnableBroadcast = true;
            socket.Bind(new IPEndPoint(settings.IfAddr, settings.Port));
            if (!settings.BroadcastOnly)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, settings.MulticastTtl);
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
                var mif = settings.MulticastIf ?? IPAddress.Any;
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(settings.MulticastAddr, mif));
                if (settings.MulticastIf is { } i) socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, i.GetAddressBytes());
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task SendLoopAsync(Socket socket, HeartbeatCipher? cipher, IPEndPoint to, ITopologyContext context, CancellationToken ct)
    {
        var plain = HeartbeatCodec.Encode(context.Self);
        var packet = new byte[HeartbeatCipher.MaxSealedLength(plain.Length)];
        while (!ct.IsCancellationRequested)
        {
            var len = plain.Length;
            if (cipher is null) plain.CopyTo(packet, 0);
            else len = cipher.Seal(plain, packet, context.Time.GetUtcNow().ToUnixTimeMilliseconds());
            try
            {
                await socket.SendToAsync(packet.AsMemory(0, len), SocketFlags.None, to, ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                ClusterLog.HeartbeatNotSent(context.Logger, context.Topology, e.Message);
            }

            // libcluster: Process.send_after(self(), :heartbeat, :rand.uniform(5_000)).
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5001)), context.Time, ct).ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, HeartbeatCipher? cipher, ITopologyContext context, CancellationToken ct)
    {
        // One buffer for the largest UDP payload, so an oversized datagram is seen as such, never truncated into a valid one.
        var buffer = ArrayPool<byte>.Shared.Rent(65536);
        var clear = ArrayPool<byte>.Shared.Rent(HeartbeatCodec.MaxDatagram + 64);
        try
        {
            EndPoint any = new IPEndPoint(IPAddress.Any, 0);
            while (!ct.IsCancellationRequested)
            {
                var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
                var reason = Handle(buffer.AsSpan(0, r.ReceivedBytes), clear, cipher, context, out var node);
                if (reason == HeartbeatDrop.None && node is not null)
                {
                    ClusterLog.ReceivedHeartbeat(context.Logger, context.Topology, node);
                    context.AddMembers([node], MemberExpiry);
                }
                else if (reason != HeartbeatDrop.None)
                {
                    Interlocked.Increment(ref _dropped);
                    context.CountDropped(DropTag(reason));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(clear);
        }
    }

    /// <summary>One datagram: the node it names (null for our own heartbeat), or why it was dropped.</summary>
    internal HeartbeatDrop Handle(ReadOnlySpan<byte> datagram, byte[] clear, HeartbeatCipher? cipher, ITopologyContext context, out string? node)
    {
        node = null;
        if (datagram.Length > HeartbeatCodec.MaxDatagram) return HeartbeatDrop.Oversized;
        long stamp = 0;
        var plain = datagram;
        if (cipher is not null)
        {
            if (!cipher.TryOpen(datagram, clear, out var n, out stamp)) return HeartbeatDrop.Decryption;
            plain = clear.AsSpan(0, n);
        }

        var reason = HeartbeatCodec.TryDecode(plain, out var name);
        if (reason != HeartbeatDrop.None) return reason;
        if (string.Equals(name, context.Self, StringComparison.Ordinal)) return HeartbeatDrop.None;
        var now = context.Time.GetUtcNow();
        if (cipher?.CipherMode == HeartbeatCipher.Mode.Authenticated &&
            Math.Abs(now.ToUnixTimeMilliseconds() - stamp) > settings.ReplayWindow.TotalMilliseconds)
            return HeartbeatDrop.Replay;

        lock (_heard)
        {
            if (_heard.TryGetValue(name!, out var seen))
            {
                if (cipher?.CipherMode == HeartbeatCipher.Mode.Authenticated && stamp <= seen.LastStamp) return HeartbeatDrop.Replay;
            }
            else if (_heard.Count >= settings.MaxNodes && !Evict(now))
            {
                return HeartbeatDrop.Cap;
            }

            _heard[name!] = (now, stamp);
        }

        Interlocked.Increment(ref _received);
        node = name;
        return HeartbeatDrop.None;
    }

    private static string DropTag(HeartbeatDrop reason) => reason switch
    {
        HeartbeatDrop.Oversized => "oversized",
        HeartbeatDrop.NotHeartbeat => "not_heartbeat",
        HeartbeatDrop.Malformed => "malformed",
        HeartbeatDrop.BadName => "bad_name",
        HeartbeatDrop.Decryption => "decryption",
        HeartbeatDrop.Replay => "replay",
        HeartbeatDrop.Cap => "cap",
        _ => "other",
    };

    // Names not heard from for two expiry periods make room for new ones.
    private bool Evict(DateTimeOffset now)
    {
        List<string>? old = null;
        foreach (var (n, s) in _heard)
            if (now - s.Heard > MemberExpiry * 2) (old ??= []).Add(n);
        if (old is null) return false;
        foreach (var n in old) _heard.Remove(n);
        return true;
    }
}

/// <summary>Gossip's keys, libcluster's names and defaults (<c>lib/strategy/gossip.ex</c>).</summary>
public sealed record GossipSettings(IPAddress IfAddr, int Port, IPAddress MulticastAddr, IPAddress? MulticastIf, int MulticastTtl,
    bool BroadcastOnly, string? Secret, bool Authenticated, int MaxNodes, TimeSpan ReplayWindow)
{
    public static GossipSettings Read(StrategyConfig c)
    {
        var s = new GossipSettings(
            IfAddr: c.Address("IfAddr", IPAddress.Any),
            Port: c.Number("Port", 45892, 1, 65535),
            MulticastAddr: c.Address("MulticastAddr", IPAddress.Parse("233.252.1.32")),
            MulticastIf: c.Text("MulticastIf") is null ? null : c.Address("MulticastIf", IPAddress.Any),
            MulticastTtl: c.Number("MulticastTtl", 1, 0, 255),
            BroadcastOnly: c.Bool("BroadcastOnly", false),
            Secret: c.Text("Secret"),
            Authenticated: c.Bool("Authenticated", false),
            MaxNodes: c.Number("MaxNodes", 1024, 1, 1_000_000),
            ReplayWindow: c.Duration("ReplayWindow", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)));
        if (s.Authenticated && s.Secret is null)
            throw new ClusterConfigurationException($"{c.PathOf("Authenticated")} = 'true' needs {c.PathOf("Secret")}: the key is derived from the secret");
        foreach (var a in new[] { s.IfAddr, s.MulticastAddr })
            if (a.AddressFamily != AddressFamily.InterNetwork)
                throw new ClusterConfigurationException($"{c.PathOf(a == s.IfAddr ? "IfAddr" : "MulticastAddr")} = '{a}' is not allowed: Gossip is IPv4 (as libcluster's)");
        if (!s.BroadcastOnly && !IsMulticast(s.MulticastAddr))
            throw new ClusterConfigurationException($"{c.PathOf("MulticastAddr")} = '{s.MulticastAddr}' is not a multicast address (224.0.0.0/4): give one, or set BroadcastOnly=true to send to it as a broadcast address");
        return s;
    }

    private static bool IsMulticast(IPAddress a) => (a.GetAddressBytes()[0] & 0xF0) == 0xE0;
}
