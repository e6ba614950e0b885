using System.Diagnostics;
using System.Diagnostics.Metrics;
using Beamwire.Terms;

namespace Beamwire.Node.Diagnostics;

/// <summary>
/// The process instruments, on the shared <c>Meter("Beamwire")</c>: <c>beamwire.processes.*</c>. Exit
/// reasons are tagged by kind only (normal, shutdown, killed, noconnection, exception, other), so the
/// tag set stays small whatever reasons processes use.
/// </summary>
internal sealed class ProcessMetrics : IDisposable
{
    private static readonly ErlangAtom DotnetException = ErlangAtom.Get("dotnet_exception");
    private readonly Meter _meter;
    private readonly IMeterFactory? _factory;
    private readonly Counter<long> _spawned;
    private readonly Counter<long> _exited;

    public ProcessMetrics(string node, Func<int> count, IMeterFactory? factory = null)
    {
        _factory = factory;
        _meter = DistMetrics.CreateMeter(node, factory);
        _spawned = _meter.CreateCounter<long>("beamwire.processes.spawned", "{process}", "Processes started, locally and for remote spawn requests.");
        _exited = _meter.CreateCounter<long>("beamwire.processes.exited", "{process}", "Processes that exited, by kind of reason.");
        _meter.CreateObservableGauge("beamwire.processes.count", count, "{process}", "Processes on the node, services and mailboxes included.");
    }

    public void Spawned() => _spawned.Add(1);

    public void Exited(ErlangTerm reason)
    {
        if (!_exited.Enabled) return;
        var kind = reason switch
        {
            ErlangAtom { Name: "normal" or "shutdown" or "killed" or "noconnection" } a => a.Name,
            ErlangTuple { Count: 2 } t when ReferenceEquals(t[0], ErlangAtom.Shutdown) => "shutdown",
            ErlangTuple { Count: 3 } t when ReferenceEquals(t[0], DotnetException) => "exception",
            _ => "other",
        };
        _exited.Add(1, new KeyValuePair<string, object?>("reason", kind));
    }

    public void Dispose() => DistMetrics.Release(_meter, _factory);
}
