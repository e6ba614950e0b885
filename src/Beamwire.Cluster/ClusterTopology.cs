using System.Diagnostics;
using Beamwire.Cluster.Configuration;
using Beamwire.Cluster.Diagnostics;
using Beamwire.Cluster.Membership;
using Beamwire.Cluster.Strategies;
using Beamwire.Node;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cluster;

/// <summary>
/// One running topology: its strategy under supervision (a crash restarts it with backoff and never
/// reaches the node), and the one loop that turns discovery into connects (in parallel, each with a
/// timeout, failures retried with backoff, dropped peers reconnected) and, after the grace period,
/// disconnects; every outcome logged with libcluster's lines and counted.
/// </summary>
public sealed class ClusterTopology : ITopologyContext, IAsyncDisposable
{
    private readonly BeamNode _node;
    private readonly IClusterStrategy _strategy;
    private readonly string _strategyName;
    private readonly TopologySettings _settings;
    private readonly TopologyOptions _hooks;
    private readonly ClusterMetrics _metrics;
    private readonly MemberBook _book;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _formed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _strategyTask;
    private Task? _loopTask;
    private readonly HashSet<Task> _connects = [];

    internal ClusterTopology(string name, string strategyName, IClusterStrategy strategy, TopologySettings settings, TopologyOptions hooks,
        BeamNode node, ILogger logger, TimeProvider time, ClusterMetrics metrics)
    {
        Name = name;
        _strategyName = strategyName;
        _strategy = strategy;
        _settings = settings;
        _hooks = hooks;
        _node = node;
        Logger = logger;
        Time = time;
        _metrics = metrics;
        _book = new MemberBook(settings.GracePeriod, new Backoff(settings.RetryInterval, settings.RetryMaxInterval));
        Self = node.Self.Full;
    }

    /// <summary>The topology's name, as in <c>[libcluster:NAME]</c>.</summary>
    public string Name { get; }

    string ITopologyContext.Topology => Name;

    public string Self { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    /// <summary>At least <c>MinPeers</c> discovered members are connected (it stays set once reached).</summary>
    public bool IsFormed => _formed.Task.IsCompleted;

    /// <summary>Raised once, when the topology first counts <c>MinPeers</c> connected members.</summary>
    public event EventHandler? Formed;

    /// <summary>Completes when the topology is formed (see <see cref="IsFormed"/>).</summary>
    public Task WhenFormedAsync(CancellationToken cancellationToken = default) => _formed.Task.WaitAsync(cancellationToken);

    /// <summary>The members discovery currently reports (connected or not).</summary>
    public IReadOnlyList<string> Members
    {
        get { lock (_gate) return _book.Discovered; }
    }

    internal void Start()
    {
        _node.NodeDown += OnNodeChange;
        _node.NodeUp += OnNodeChange;
        _loopTask = Task.Run(() => LoopAsync(_stop.Token));
        _strategyTask = Task.Run(() => SuperviseAsync(_stop.Token));
        Wake();
    }

    private void OnNodeChange(object? sender, EventArgs e) => Wake();

    private void Wake() => _wake.Release();

    // ---- ITopologyContext ----------------------------------------------------------------------

    public void SetMembers(IReadOnlyCollection<string> members)
    {
        var now = Time.GetUtcNow();
        lock (_gate)
        {
            var before = new HashSet<string>(_book.Discovered, StringComparer.Ordinal);
            _book.Set(Without(members, Self), now);
            if (_settings.Prune)
            {
                var after = new HashSet<string>(_book.Discovered, StringComparer.Ordinal);
                foreach (var n in before)
                {
                    if (after.Contains(n)) continue;
                    var node = ElixirInspect.Atom(n);
                    ClusterLog.Vanished(Logger, Name, node, _settings.GracePeriod.TotalSeconds);
                }
            }
        }

        Wake();
    }

    public void AddMembers(IReadOnlyCollection<string> members, TimeSpan? expiresAfter = null)
    {
        lock (_gate) _book.Add(Without(members, Self), Time.GetUtcNow(), expiresAfter);
        Wake();
    }

    public void CountDropped(string reason) => _metrics.GossipDropped(Name, reason);

    public void LookupFailed(string what, string reason)
    {
        int count;
        lock (_gate) count = _book.Discovered.Count;
        ClusterLog.LookupFailed(Logger, Name, what, reason, count);
        _metrics.LookupFailed(Name);
    }

    private static List<string> Without(IReadOnlyCollection<string> names, string self)
    {
        var list = new List<string>(names.Count);
        foreach (var n in names)
            if (!string.Equals(n, self, StringComparison.Ordinal) && NodeName.TryParse(n, out _)) list.Add(n);
        return list;
    }

    // ---- supervision ---------------------------------------------------------------------------

    private async Task SuperviseAsync(CancellationToken ct)
    {
        var restarts = 0;
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
        while (!ct.IsCancellationRequested)
        {
            var started = Time.GetTimestamp();
            try
            {
                await _strategy.RunAsync(this, ct).ConfigureAwait(false);
                return; // a strategy that finished (LocalEpmd polls forever; a custom one may be one-shot)
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A strategy that ran a while before crashing starts over from the shortest delay.
                if (Time.GetElapsedTime(started) > TimeSpan.FromMinutes(1)) restarts = 0;
                var delay = backoff.Delay(++restarts);
                ClusterLog.StrategyCrashed(Logger, e, Name, _strategyName, (long)delay.TotalMilliseconds);
                _metrics.StrategyRestarted(Name);
                try { await Task.Delay(delay, Time, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    // ---- the connect / prune loop --------------------------------------------------------------

    private IReadOnlyCollection<string> Connected()
    {
        try
        {
            var list = _hooks.ListNodes?.Invoke(_node);
            if (list is not null) return list as HashSet<string> ?? new HashSet<string>(list, StringComparer.Ordinal);
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var n in _node.Nodes(NodeListKind.Connected)) set.Add(n.Full);
            return set;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ClusterLog.Warn(Logger, Name, $"list_nodes failed: {e.Message}");
            return new HashSet<string>(StringComparer.Ordinal);
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var connected = Connected();
            var now = Time.GetUtcNow();
            List<string> due, gone;
            DateTimeOffset? next;
            int up;
            lock (_gate)
            {
                gone = _book.TakeExpired(now);
                due = _book.TakeDueConnects(now, connected);
                next = _book.NextDue(connected);
                up = _book.CountConnected(connected);
            }

            foreach (var n in gone) Prune(n, connected);
            foreach (var n in due) Track(ConnectAsync(n, ct));
            CheckFormed(up);

            var wait = next is { } t ? t - now : Timeout.InfiniteTimeSpan;
            if (wait != Timeout.InfiniteTimeSpan && wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
            try
            {
                // Also wake at least every few seconds: a hook's list_nodes may change without a nodeup/nodedown.
                var cap = TimeSpan.FromSeconds(5);
                await _wake.WaitAsync(wait == Timeout.InfiniteTimeSpan || wait > cap ? cap : wait, ct).ConfigureAwait(false);
                while (_wake.CurrentCount > 0) await _wake.WaitAsync(0, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Track(Task connect)
    {
        lock (_gate) _connects.Add(connect);
        _ = connect.ContinueWith(t => { lock (_gate) _connects.Remove(t); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Prune(string name, IReadOnlyCollection<string> connected)
    {
        if (!_settings.Prune || !connected.Contains(name)) return;
        var node = ElixirInspect.Atom(name);
        bool ok;
        try
        {
            ok = _hooks.Disconnect?.Invoke(_node, name) ?? _node.Disconnect(name);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ClusterLog.Warn(Logger, Name, $"disconnect from {node} failed with: {e.Message}");
            _metrics.Disconnect(Name, name, false, e.Message);
            return;
        }

        if (ok)
        {
            ClusterLog.Disconnected(Logger, Name, node);
            _metrics.Disconnect(Name, name, true);
        }
        else
        {
            ClusterLog.AlreadyDisconnected(Logger, Name, node);
            _metrics.Disconnect(Name, name, false, "already_disconnected");
        }
    }

    private async Task ConnectAsync(string name, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        bool ok;
        string reason = "unreachable";
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_settings.ConnectTimeout);
        try
        {
            var connect = _hooks.Connect;
            ok = connect is null
                ? await _node.ConnectAsync(name, limit.Token).ConfigureAwait(false)
                : await connect(_node, name, limit.Token).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            ok = false;
            reason = "timeout";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ok = false;
            reason = "unreachable";
            ClusterLog.ConnectFailed(Logger, Name, name, e.Message);
        }

        var node = ElixirInspect.Atom(name);
        if (ok)
        {
            ClusterLog.Connected(Logger, Name, node);
            _metrics.ConnectOk(Name, name, clock.Elapsed);
        }
        else
        {
            ClusterLog.UnableToConnect(Logger, Name, node);
            _metrics.ConnectError(Name, name, reason);
        }

        lock (_gate) _book.ConnectFinished(name, ok, Time.GetUtcNow());
        Wake();
    }

    private void CheckFormed(int connectedMembers)
    {
        if (_formed.Task.IsCompleted || connectedMembers < _settings.MinPeers) return;
        if (!_formed.TrySetResult()) return;
        ClusterLog.Formed(Logger, Name, connectedMembers, _settings.MinPeers);
        try { Formed?.Invoke(this, EventArgs.Empty); }
        catch (Exception e) when (e is not OutOfMemoryException) { ClusterLog.Warn(Logger, Name, $"a Formed handler failed: {e.Message}"); }
    }

    public async ValueTask DisposeAsync()
    {
        _node.NodeDown -= OnNodeChange;
        _node.NodeUp -= OnNodeChange;
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var t in new[] { _strategyTask, _loopTask })
        {
            if (t is null) continue;
            try { await t.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }

        // Connects in flight observe the same token; wait (bounded) for them to finish their bookkeeping.
        Task[] pending;
        lock (_gate) pending = [.. _connects];
        try { await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
        catch (TimeoutException) { }
        if (_strategy is IAsyncDisposable ad) await ad.DisposeAsync().ConfigureAwait(false);
        else if (_strategy is IDisposable d) d.Dispose();
    }
}
