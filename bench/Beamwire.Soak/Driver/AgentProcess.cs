using System.Diagnostics;
using Beamwire.Testing;

namespace Beamwire.Soak.Driver;

/// <summary>Which implementation an agent runs: a Beamwire node, or erl with soak_agent.erl.</summary>
internal enum AgentKind { Beamwire, Erlang }

/// <summary>
/// One incarnation of an agent node: its OS process, the commands written to its stdin, and every line
/// it prints, handed to <see cref="OnLine"/> as it comes and kept so that a caller can wait for one.
/// </summary>
internal sealed class AgentProcess : ISoakNode, IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _stderr = [];
    private readonly Task _pumps;
    private readonly Action<AgentProcess, string> _onLine;
    private int _disposed;

    private AgentProcess(AgentSpec spec, int incarnation, Process process, Action<AgentProcess, string> onLine)
    {
        Spec = spec;
        Incarnation = incarnation;
        _process = process;
        _onLine = onLine;
        Tree = ProcessTree.Of(process.Id);
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, _lines, true), PumpAsync(process.StandardError, _stderr, false));
    }

    public AgentSpec Spec { get; }

    public string Node => Spec.Node;

    public int Incarnation { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The OS processes of this incarnation as it started (erl's beam has children).</summary>
    public IReadOnlyList<OsProcess> Tree { get; private set; }

    public string Stderr
    {
        get
        {
            lock (_stderr) return string.Join('\n', _stderr.TakeLast(40));
        }
    }

    public static async Task<AgentProcess> StartAsync(AgentSpec spec, int incarnation, Action<AgentProcess, string> onLine, TimeSpan timeout)
    {
        var process = Process.Start(spec.StartInfo()) ?? throw new InvalidOperationException($"could not start {spec.Node}");
        var agent = new AgentProcess(spec, incarnation, process, onLine);
        try
        {
            await agent.WaitForLineAsync(l => l.StartsWith("READY ", StringComparison.Ordinal), timeout).ConfigureAwait(false);
            agent.Tree = ProcessTree.Of(process.Id);
            return agent;
        }
        catch
        {
            await agent.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for a line (already printed or still to come) matching <paramref name="match"/>, from <paramref name="from"/> on.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int from = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_lines)
            {
                for (var i = from; i < _lines.Count; i++)
                {
                    if (match(_lines[i])) return _lines[i];
                }
            }

            if (_process.HasExited)
                throw new InvalidOperationException($"{Node} exited (code {_process.ExitCode}) before the expected line. stderr:\n{Stderr}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Node} printed no expected line within {timeout}. stderr:\n{Stderr}");
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>How many lines it has printed so far (a cursor for <see cref="WaitForLineAsync"/>).</summary>
    public int LineCount
    {
        get
        {
            lock (_lines) return _lines.Count;
        }
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would end it, then whatever of its tree survived.</summary>
    public async Task KillAsync()
    {
        var tree = ProcessTree.Of(_process.Id);
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await ProcessTree.KillAsync(tree.Concat(Tree), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    private async Task PumpAsync(StreamReader reader, List<string> into, bool events)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (events) _onLine(this, line);
            lock (into)
            {
                into.Add(line);
                if (!events && into.Count > 1000) into.RemoveRange(0, 500);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (!_process.HasExited)
        {
            _process.StandardInput.Close(); // both agents stop at the end of their input
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await KillAsync().ConfigureAwait(false);
            }
        }

        await ProcessTree.KillAsync(Tree, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await _pumps.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    public override string ToString() => $"{Node} #{Incarnation} (pid {Pid})";
}
