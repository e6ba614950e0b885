using Beamwire.Cli.Commands.Common;
using Beamwire.Cli.Rpc;
using Beamwire.Cli.Shell.Backends;
using Beamwire.Cli.Shell.Eval;
using Beamwire.Cli.Shell.Terminal;
using Beamwire.Epmd;
using Beamwire.Node;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Shell;

/// <summary>
/// Everything one shell run owns: its node (a full node of its own, or the hidden node a
/// <c>--remsh</c> shell joins through), its process, its group leader, its backend, and the terminal.
/// </summary>
internal sealed class ShellSession : IAsyncDisposable
{
    private readonly BeamNode _node;
    private readonly Mailbox _mailbox;
    private readonly GroupLeader _io;
    private readonly ILineReader _reader;
    private readonly Repl _repl;
    private readonly ILoggerFactory _loggers;

    private ShellSession(BeamNode node, ILoggerFactory loggers, ILineReader reader, Func<IRpcClient, IShellBackend> backendFor, Action<ILineReader> attach)
    {
        _node = node;
        _loggers = loggers;
        _reader = reader;
        attach(reader);
        _io = node.CreateGroupLeader(text => reader.WriteAbove(text.TrimEnd('\n')));
        var rpc = new NodeRpcClient(node, _io.Pid);
        Backend = backendFor(rpc);
        _mailbox = node.CreateMailbox();
        var local = Backend is LocalBackend;
        var process = new ShellProcess(_mailbox, Backend.Node, local);
        var evaluator = new Evaluator(Backend, process, node.MakeRef, reader.WriteLine);
        _repl = new Repl(reader, evaluator, Backend.Node.Name);
        Evaluator = evaluator;
    }

    public IShellBackend Backend { get; }

    public Evaluator Evaluator { get; }

    /// <summary>Starts a shell on a node of its own (<c>beamwire shell --sname node1</c>).</summary>
    public static async Task<ShellSession> StartLocalAsync(NodeSettings settings, string name, CancellationToken ct)
    {
        var sink = new DeferredSink();
        var loggers = LineLoggerProvider.Factory(settings.LogLevel ?? LogLevel.Warning, sink.Write);
        try
        {
            var node = await NodeStarter.StartAsync(settings.ToOptions(name), loggers, ct).ConfigureAwait(false);
            var epmdPort = settings.EpmdPort ?? EpmdDefaults.ResolvePort();
            return Create(node, loggers, sink, rpc => new LocalBackend(node, rpc), epmdPort);
        }
        catch
        {
            loggers.Dispose();
            throw;
        }
    }

    /// <summary>Starts a remote shell into <paramref name="target"/> (<c>beamwire shell --remsh node1@host</c>).</summary>
    public static async Task<ShellSession> StartRemoteAsync(NodeSettings settings, NodeName target, CancellationToken ct)
    {
        var epmdPort = settings.EpmdPort ?? EpmdDefaults.ResolvePort();
        await ClientNode.EnsureRegisteredAsync(target, epmdPort, ct).ConfigureAwait(false);
        var sink = new DeferredSink();
        var warnings = new CapturedWarnings();
        var loggers = LineLoggerProvider.Factory(settings.LogLevel ?? LogLevel.Warning, line =>
        {
            warnings.Add(line);
            sink.Write(line);
        });
        BeamNode? node = null;
        try
        {
            var shellName = settings.Name ?? $"rem-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2))}-{target.Alive}";
            node = await ClientNode.StartAsync("remsh", target, settings.Cookie, epmdPort, loggers, ct, shellName).ConfigureAwait(false);
            sink.Mute = true; // a refused handshake is reported below in one line, not as a log
            if (!await node.ConnectAsync(target.Full, ct).ConfigureAwait(false))
                throw new CliException(ExitCodes.Unreachable, $"could not connect to {target}: {warnings.Last ?? "no answer"}");
            sink.Mute = false;
            await ProbeRpcAsync(node, target, ct).ConfigureAwait(false);
            var connected = node;
            return Create(node, loggers, sink, rpc => new RemshBackend(target.Full, rpc, () => connected.Nodes(NodeListKind.Known).Select(n => n.Full).ToList()), epmdPort);
        }
        catch
        {
            if (node is not null) await node.DisposeAsync().ConfigureAwait(false);
            loggers.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A remote shell is only useful if the target runs rpc calls: ask it for <c>erlang:node()</c> first,
    /// so a node that does not (a Beamwire node without the rex server of the Processes issue) gives one
    /// clear error instead of a shell whose every command hangs.
    /// </summary>
    private static async Task ProbeRpcAsync(BeamNode node, NodeName target, CancellationToken ct)
    {
        using var probe = node.CreateMailbox();
        var answer = await new NodeRpcClient(node, probe.Pid)
            .CallAsync(target.Full, ErlangAtom.Get("erlang"), ErlangAtom.Get("node"), ErlangList.Nil, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        if (RpcTerms.IsBadRpc(answer, out var why))
            throw new CliException(ExitCodes.Unreachable,
                $"{target} accepted the connection but does not answer rpc calls ({TermFormatter.ToElixir(why)}), so a remote shell cannot run commands there");
    }

    private static ShellSession Create(BeamNode node, ILoggerFactory loggers, DeferredSink sink, Func<IRpcClient, IShellBackend> backendFor, int epmdPort)
    {
        IShellBackend? backend = null;
        ShellSession? session = null;
        var completion = new Completion(
            () => [.. backend?.KnownNodes() ?? [], .. LocalEpmdNames(node, epmdPort)],
            () => session?.Evaluator.Bindings.Keys ?? Enumerable.Empty<string>());
        ILineReader reader = Console.IsInputRedirected ? new PlainLineReader() : new LineEditor(new History(History.DefaultPath()), completion);
        session = new ShellSession(node, loggers, reader, rpc => backend = backendFor(rpc), r => sink.Attach(r));
        return session;
    }

    /// <summary>Names registered with epmd on this host, as full node names, for completion (answers within 300 ms or not at all).</summary>
    private static IEnumerable<string> LocalEpmdNames(BeamNode node, int epmdPort)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var names = new EpmdClient("localhost", epmdPort).NamesAsync(cts.Token).GetAwaiter().GetResult();
            return names.Select(n => n.Name + "@" + node.Self.Host).ToList();
        }
        catch (Exception ex) when (ex is EpmdException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return [];
        }
    }

    public string Banner(bool remote) => remote
        ? $"Beamwire remote shell on {Backend.Node.Name} (this shell joins as hidden node {_node.Self}). h() for help, Ctrl-D to exit."
        : $"Beamwire shell on node {_node.Self} (listening on port {_node.Port}). h() for help, Ctrl-D to exit.";

    public async Task RunAsync(bool remote, CancellationToken ct)
    {
        _reader.WriteLine(Banner(remote));
        await _repl.RunAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _mailbox.Dispose();
        _io.Dispose();
        await _node.DisposeAsync().ConfigureAwait(false);
        _loggers.Dispose();
    }

    /// <summary>Log lines go to the terminal once it exists (above the prompt), to stderr before that.</summary>
    private sealed class DeferredSink
    {
        private ILineReader? _reader;

        public bool Mute { get; set; }

        public void Attach(ILineReader reader) => _reader = reader;

        public void Write(string line)
        {
            if (Mute) return;
            if (_reader is { } r) r.WriteAbove(line);
            else Console.Error.WriteLine(line);
        }
    }
}
