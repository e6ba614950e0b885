using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Beamwire.Cluster.Diagnostics;

/// <summary>
/// <c>beamwire.cluster.*</c> on <c>Meter("Beamwire")</c>, mirroring libcluster's telemetry
/// (<c>[:libcluster, :connect_node | :disconnect_node, :ok | :error]</c> with <c>node</c>, <c>topology</c>
/// and <c>reason</c>); the meter carries the tag <c>node</c> (this node's full name).
/// </summary>
internal sealed class ClusterMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _connect;
    private readonly Histogram<double> _connectDuration;
    private readonly Counter<long> _disconnect;
    private readonly Counter<long> _lookupFailures;
    private readonly Counter<long> _gossipDropped;
    private readonly Counter<long> _restarts;
    private readonly Func<IEnumerable<Measurement<int>>> _members;

    public ClusterMetrics(string self, Func<IEnumerable<Measurement<int>>> members)
    {
        _meter = new Meter("Beamwire", null, [new KeyValuePair<string, object?>("node", self)]);
        _members = members;
        _connect = _meter.CreateCounter<long>("beamwire.cluster.connect", "{connect}", "Connect attempts by topology, peer, result (ok/error) and reason.");
        _connectDuration = _meter.CreateHistogram<double>("beamwire.cluster.connect.duration", "ms", "Time a successful connect took.");
        _disconnect = _meter.CreateCounter<long>("beamwire.cluster.disconnect", "{disconnect}", "Disconnects of members that left discovery, by result and reason.");
        _lookupFailures = _meter.CreateCounter<long>("beamwire.cluster.lookup.failures", "{failure}", "Discovery lookups that failed (the last member set was kept).");
        _gossipDropped = _meter.CreateCounter<long>("beamwire.cluster.gossip.dropped", "{datagram}", "Gossip datagrams ignored, by reason.");
        _restarts = _meter.CreateCounter<long>("beamwire.cluster.strategy.restarts", "{restart}", "Strategy crashes followed by a restart.");
        _meter.CreateObservableGauge("beamwire.cluster.members", _members, "{node}", "Members discovered per topology.");
    }

    public void ConnectOk(string topology, string node, TimeSpan duration)
    {
        var tags = new TagList { { "topology", topology }, { "peer", node }, { "result", "ok" } };
        _connect.Add(1, tags);
        _connectDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("topology", topology));
    }

    public void ConnectError(string topology, string node, string reason) =>
        _connect.Add(1, new TagList { { "topology", topology }, { "peer", node }, { "result", "error" }, { "reason", reason } });

    public void Disconnect(string topology, string node, bool ok, string? reason = null)
    {
        var tags = new TagList { { "topology", topology }, { "peer", node }, { "result", ok ? "ok" : "error" } };
        if (reason is not null) tags.Add("reason", reason);
        _disconnect.Add(1, tags);
    }

    public void LookupFailed(string topology) => _lookupFailures.Add(1, new KeyValuePair<string, object?>("topology", topology));

    public void GossipDropped(string topology, string reason) =>
        _gossipDropped.Add(1, new TagList { { "topology", topology }, { "reason", reason } });

    public void StrategyRestarted(string topology) => _restarts.Add(1, new KeyValuePair<string, object?>("topology", topology));

    public void Dispose() => _meter.Dispose();
}
