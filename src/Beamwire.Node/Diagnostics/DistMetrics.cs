using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Beamwire.Node.Diagnostics;

/// <summary>
/// The distribution instruments, on the shared <c>Meter("Beamwire")</c>: <c>beamwire.dist.*</c>.
/// Counters are cheap enough for the per-message path (no tags there). Each node's meter carries the
/// tag <c>node</c> (its full name), so several nodes in one OS process stay apart.
/// </summary>
internal sealed class DistMetrics : IDisposable
{
    public const string MeterName = "Beamwire";

    private readonly Meter _meter;
    private readonly IMeterFactory? _factory;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _framesReceived;
    private readonly Counter<long> _handshakes;
    private readonly Counter<long> _busy;
    private readonly Counter<long> _unhandled;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _nodeDowns;

    public DistMetrics(string node, IMeterFactory? factory = null)
    {
        _factory = factory;
        _meter = CreateMeter(node, factory);
        _messagesSent = _meter.CreateCounter<long>("beamwire.dist.messages.sent", "{message}", "Control messages queued to peers.");
        _messagesReceived = _meter.CreateCounter<long>("beamwire.dist.messages.received", "{message}", "Control messages received from peers.");
        _framesReceived = _meter.CreateCounter<long>("beamwire.dist.frames.received", "{frame}", "Frames read, ticks and fragments included.");
        _handshakes = _meter.CreateCounter<long>("beamwire.dist.handshakes", "{handshake}", "Handshakes by direction and result.");
        _busy = _meter.CreateCounter<long>("beamwire.dist.busy", "{event}", "Times a connection's send queue filled up (busy_dist_port).");
        _unhandled = _meter.CreateCounter<long>("beamwire.dist.control.unhandled", "{message}", "Control messages received that Beamwire does not act on yet.");
        _connections = _meter.CreateUpDownCounter<long>("beamwire.dist.connections", "{connection}", "Open distribution connections.");
        _nodeDowns = _meter.CreateCounter<long>("beamwire.dist.nodedown", "{event}", "Connections that went down, by reason.");
    }

    public void MessageSent() => _messagesSent.Add(1);

    public void MessageReceived() => _messagesReceived.Add(1);

    public void FramesReceived(int count) => _framesReceived.Add(count);

    public void Handshake(bool initiated, string result) =>
        _handshakes.Add(1, new TagList { { "direction", initiated ? "outgoing" : "incoming" }, { "result", result } });

    public void Busy(string peer) => _busy.Add(1, new KeyValuePair<string, object?>("peer", peer));

    public void Unhandled(string kind) => _unhandled.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void ConnectionUp() => _connections.Add(1);

    public void ConnectionDown(string reason)
    {
        _connections.Add(-1);
        var r = reason.StartsWith("protocol error", StringComparison.Ordinal) ? "protocol_error" : reason;
        _nodeDowns.Add(1, new KeyValuePair<string, object?>("reason", r));
    }

    /// <summary>A node's <c>Meter("Beamwire")</c>, tagged with the node's full name; from the host's factory when there is one.</summary>
    public static Meter CreateMeter(string node, IMeterFactory? factory)
    {
        var options = new MeterOptions(MeterName) { Tags = [new KeyValuePair<string, object?>("node", node)] };
        return factory is null ? new Meter(options) : factory.Create(options);
    }

    /// <summary>A meter from a factory belongs to the factory (it is shared and disposed with it).</summary>
    public static void Release(Meter meter, IMeterFactory? factory)
    {
        if (factory is null) meter.Dispose();
    }

    public void Dispose() => Release(_meter, _factory);
}
