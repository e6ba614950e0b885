using System.Diagnostics;
using Beamwire.Testing;

namespace Beamwire.Soak.Driver;

/// <summary>
/// The soak: three Beamwire nodes and two erl nodes (OTP 25 and 29), each its own OS process, in one
/// mesh connected pair by pair (no reliance on global's connect_all). Every ordered pair runs a
/// session (numbered messages, gen_server calls, a link, a monitor, monitor_node). Every
/// <see cref="SoakOptions.KillEvery"/> one of the victims (bw3 and e29 in turn) is killed with SIGKILL
/// and restarted under the same name, then meshed and given sessions again. bw1, bw2 and e25 live
/// through the whole run: their sockets, connection threads, OS and Erlang processes must come back to
/// the same figures after every cycle, and their memory must stay flat after the first minute.
/// </summary>
public sealed class SoakRun : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DeathTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SteadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StatsWindow = TimeSpan.FromSeconds(6);
    private static readonly string[] LongLived = ["bw1", "bw2", "e25"];
    private static readonly string[] Victims = ["bw3", "e29"];

    private readonly SoakOptions _options;
    private readonly TextWriter _log;
    private readonly SoakLedger _ledger;
    private readonly Dictionary<string, AgentProcess> _agents = new();
    private readonly Dictionary<string, ResourceSample> _baseline = new();
    private readonly Dictionary<string, List<ResourceSample>> _steady = new();
    private readonly Dictionary<string, List<(TimeSpan At, long RssKb)>> _rss = new();
    private readonly List<KillCycle> _cycles = [];
    private readonly List<OsProcess> _started = [];
    private readonly Stopwatch _clock = new();
    private RealEpmd? _epmd;

    private SoakRun(SoakOptions options)
    {
        _options = options;
        _log = TextWriter.Synchronized(options.Log);
        _ledger = new SoakLedger(_log);
    }

    /// <summary>Runs the soak and ends every process it started, whatever happens.</summary>
    public static async Task<SoakReport> RunAsync(SoakOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var run = new SoakRun(options);
        return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan Now => _clock.Elapsed;

    private async Task<SoakReport> ExecuteAsync(CancellationToken ct)
    {
        _epmd = await RealEpmd.StartAsync(OtpRelease.Otp25).ConfigureAwait(false);
        _started.AddRange(ProcessTree.Of(_epmd.ProcessId));
        var specs = Specs(_epmd.Port);
        _log.WriteLine($"soak: {specs.Count} nodes, epmd on port {_epmd.Port}, {_options.Duration.TotalSeconds:0} s of traffic, a kill every {_options.KillEvery.TotalSeconds:0} s");
        _clock.Start();
        var started = await Task.WhenAll(specs.Select(s => StartAgentAsync(s, 1))).ConfigureAwait(false);
        foreach (var a in started) _agents[a.Spec.Role] = a;
        foreach (var a in started) await MeshAsync(a, started.Where(o => o.Node.CompareTo(a.Node) > 0)).ConfigureAwait(false);
        await SessionsAsync(started, started).ConfigureAwait(false);
        _log.WriteLine($"t={Now.TotalSeconds:0.0}s mesh of {started.Length} nodes up, {_ledger.SessionCount} sessions");
        await SteadyCheckAsync("start").ConfigureAwait(false);

        var traffic = Stopwatch.StartNew();
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = SampleRssAsync(traffic, stopSampling.Token);
        var kills = 0;
        while (true)
        {
            var next = _options.KillEvery * (kills + 1);
            if (next >= _options.Duration) break;
            var wait = next - traffic.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct).ConfigureAwait(false);
            await KillCycleAsync(Victims[kills % Victims.Length], traffic.Elapsed).ConfigureAwait(false);
            kills++;
        }

        var left = _options.Duration - traffic.Elapsed;
        if (left > TimeSpan.Zero) await Task.Delay(left, ct).ConfigureAwait(false);
        var trafficTime = traffic.Elapsed;
        await stopSampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        await SteadyCheckAsync("end").ConfigureAwait(false);

        await FinAsync().ConfigureAwait(false);
        _ledger.Finish();
        var rss = CheckRss();
        return new SoakReport(trafficTime, _cycles, _ledger.SessionCount, _ledger.MessagesSent, _ledger.CallsAnswered, _ledger.DeathsReported,
            _ledger.OtherLines, _baseline, _steady.ToDictionary(s => s.Key, s => (IReadOnlyList<ResourceSample>)s.Value), rss, _ledger.Violations, _started);
    }

    private List<AgentSpec> Specs(int epmdPort)
    {
        var run = TestHost.UniqueName("soak");
        var cookie = "soak-" + Guid.NewGuid().ToString("N")[..12];
        var source = Path.Combine(AppContext.BaseDirectory, "erlang", "soak_agent.erl");
        AgentSpec Bw(string role) => new(role, AgentKind.Beamwire, OtpRelease.Otp25, $"{run}_{role}@{TestHost.ShortName}", $"{run}_{role}", cookie, epmdPort, "");
        AgentSpec Erl(string role, OtpRelease r) =>
            new(role, AgentKind.Erlang, r, $"{run}_{role}@{TestHost.ShortName}", $"{run}_{role}", cookie, epmdPort, OtpInstall.Get(r).ShareFile(source));
        return [Bw("bw1"), Bw("bw2"), Bw("bw3"), Erl("e25", OtpRelease.Otp25), Erl("e29", OtpRelease.Otp29)];
    }

    /// <summary>Starts an incarnation; a name epmd still holds for the killed one is retried a few times.</summary>
    private async Task<AgentProcess> StartAgentAsync(AgentSpec spec, int incarnation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var agent = await AgentProcess.StartAsync(spec, incarnation, _ledger.OnLine, StartTimeout).ConfigureAwait(false);
                lock (_started) _started.AddRange(agent.Tree);
                return agent;
            }
            catch (InvalidOperationException e) when (attempt < 5)
            {
                _log.WriteLine($"  {spec.Role} did not start (attempt {attempt}): {e.Message.Split('\n')[0]}");
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Connects <paramref name="from"/> to each of <paramref name="to"/> explicitly.</summary>
    private static async Task MeshAsync(AgentProcess from, IEnumerable<AgentProcess> to)
    {
        foreach (var peer in to)
        {
            var cursor = from.LineCount;
            await from.SendAsync("connect " + peer.Node).ConfigureAwait(false);
            var reply = await from.WaitForLineAsync(l => l.StartsWith($"CONNECTED {peer.Node} ", StringComparison.Ordinal), StepTimeout, cursor).ConfigureAwait(false);
            if (!reply.EndsWith(" true", StringComparison.Ordinal)) throw new InvalidOperationException($"{from} could not connect to {peer}");
        }
    }

    /// <summary>A session from every one of <paramref name="observers"/> to every one of <paramref name="peers"/> (not to itself).</summary>
    private async Task SessionsAsync(IEnumerable<AgentProcess> observers, IEnumerable<AgentProcess> peers)
    {
        var opened = new List<(SessionRecord Session, AgentProcess Observer)>();
        foreach (var o in observers)
        {
            foreach (var p in peers)
            {
                if (ReferenceEquals(o, p)) continue;
                var s = _ledger.Open(o, p);
                opened.Add((s, o));
                await o.SendAsync($"session {p.Node} {s.Sid}").ConfigureAwait(false);
            }
        }

        foreach (var (s, o) in opened)
            await o.WaitForLineAsync(l => l.StartsWith($"SESSION {s.Sid} ", StringComparison.Ordinal) || l.StartsWith($"SESSIONFAIL {s.Sid} ", StringComparison.Ordinal), StepTimeout).ConfigureAwait(false);
    }

    private async Task KillCycleAsync(string role, TimeSpan at)
    {
        var victim = _agents[role];
        var expecting = _ledger.Killed(victim);
        var clock = Stopwatch.StartNew();
        await victim.KillAsync().ConfigureAwait(false);
        var killed = clock.Elapsed;

        // Every session with it reports the death (after each signal came and a grace period without more).
        var deadline = DateTime.UtcNow + DeathTimeout;
        while (expecting.Any(s => !_ledger.HasDeath(s)) && DateTime.UtcNow < deadline) await Task.Delay(50).ConfigureAwait(false);
        foreach (var s in expecting.Where(s => !_ledger.HasDeath(s))) _ledger.Violation($"{s}: no death reported within {DeathTimeout.TotalSeconds:0} s of the kill");
        var reported = clock.Elapsed;
        await victim.DisposeAsync().ConfigureAwait(false);

        var next = await StartAgentAsync(victim.Spec, victim.Incarnation + 1).ConfigureAwait(false);
        _agents[role] = next;
        var restarted = clock.Elapsed;
        var others = _agents.Values.Where(a => !ReferenceEquals(a, next)).ToList();
        await MeshAsync(next, others).ConfigureAwait(false);
        await SessionsAsync([next], others).ConfigureAwait(false);
        await SessionsAsync(others, [next]).ConfigureAwait(false);
        var meshed = clock.Elapsed;
        var cycle = new KillCycle(at, victim.Spec.Label, expecting.Count, expecting.Count(_ledger.HasDeath), killed, reported, restarted, meshed);
        _cycles.Add(cycle);
        _log.WriteLine($"t={at.TotalSeconds:0.0}s {cycle}");
        await SteadyCheckAsync($"after kill {_cycles.Count}").ConfigureAwait(false);
    }

    /// <summary>
    /// The long-lived agents' sockets, reader threads, OS processes and persistent Erlang processes: the
    /// first check sets the baseline, every later one must come back to it (re-sampled until
    /// <see cref="SteadyTimeout"/>, as connections and call processes come and go). The agents are
    /// sampled at the same time, each over <see cref="StatsWindow"/>.
    /// </summary>
    private async Task SteadyCheckAsync(string when)
    {
        await Task.WhenAll(LongLived.Select(role => SteadyCheckAsync(role, when))).ConfigureAwait(false);
    }

    private async Task SteadyCheckAsync(string role, string when)
    {
        var agent = _agents[role];
        var deadline = DateTime.UtcNow + SteadyTimeout;
        ResourceSample sample;
        while (true)
        {
            var processes = await ErlangProcessesAsync(agent).ConfigureAwait(false);
            sample = ResourceSample.Take(agent, Now, processes);
            ResourceSample? baseline;
            lock (_baseline)
            {
                if (!_baseline.TryGetValue(role, out baseline)) _baseline[role] = sample;
            }

            if (baseline is null || sample.SameSteadyState(baseline)) break;
            if (DateTime.UtcNow > deadline)
            {
                _ledger.Violation($"{agent.Spec.Label} {when}: {sample.Steady}, at the start {baseline.Steady}");
                await agent.SendAsync("procs").ConfigureAwait(false); // its process list, logged as it comes
                break;
            }

            await Task.Delay(500).ConfigureAwait(false);
        }

        lock (_steady) (_steady.TryGetValue(role, out var list) ? list : _steady[role] = []).Add(sample);
    }

    private static async Task<int> ErlangProcessesAsync(AgentProcess agent)
    {
        var cursor = agent.LineCount;
        await agent.SendAsync($"stats {(int)StatsWindow.TotalMilliseconds}").ConfigureAwait(false);
        var line = await agent.WaitForLineAsync(l => l.StartsWith("STATS ", StringComparison.Ordinal), StepTimeout, cursor).ConfigureAwait(false);
        var field = line.Split(' ').First(f => f.StartsWith("processes=", StringComparison.Ordinal));
        return int.Parse(field.AsSpan("processes=".Length), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task SampleRssAsync(Stopwatch traffic, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                foreach (var role in LongLived)
                    (_rss.TryGetValue(role, out var l) ? l : _rss[role] = []).Add((traffic.Elapsed, ResourceSample.RssOf(_agents[role].Pid)));
                await Task.Delay(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    }

    /// <summary>Memory after the first minute: at most <see cref="SoakOptions.RssGrowthLimit"/> above the figure at one minute.</summary>
    private List<RssFigure> CheckRss()
    {
        var figures = new List<RssFigure>();
        foreach (var (role, series) in _rss)
        {
            var label = _agents[role].Spec.Label;
            var first = series[0].RssKb;
            var atMinute = series.FirstOrDefault(s => s.At >= TimeSpan.FromMinutes(1));
            var after = series.Where(s => s.At >= TimeSpan.FromMinutes(1)).ToList();
            var figure = new RssFigure(label, first, atMinute == default ? null : atMinute.RssKb, series[^1].RssKb, series.Max(s => s.RssKb),
                after.Count == 0 ? null : after.Max(s => s.RssKb));
            figures.Add(figure);
            if (_options.Duration >= TimeSpan.FromMinutes(2) && figure.AtMinuteKb is { } m && figure.MaxAfterMinuteKb is { } max && max > m * (1 + _options.RssGrowthLimit))
                _ledger.Violation($"{label}: resident memory grew from {m} kB at one minute to {max} kB (more than {_options.RssGrowthLimit:P0})");
        }

        return figures;
    }

    /// <summary>Every live session sends its fin; each receiver must have seen every message before it.</summary>
    private async Task FinAsync()
    {
        var live = _ledger.Live();
        foreach (var a in _agents.Values)
        {
            var cursor = a.LineCount;
            await a.SendAsync("fin").ConfigureAwait(false);
            await a.WaitForLineAsync(l => l == "FINDONE", StepTimeout, cursor).ConfigureAwait(false);
        }

        var deadline = DateTime.UtcNow + StepTimeout;
        while (live.Any(s => !_ledger.HasFinReceived(s)) && DateTime.UtcNow < deadline) await Task.Delay(50).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var a in _agents.Values)
        {
            try
            {
                await a.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                _log.WriteLine($"cleanup of {a}: {e.Message}");
            }
        }

        if (_epmd is not null) await _epmd.DisposeAsync().ConfigureAwait(false);
    }
}
