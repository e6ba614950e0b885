using Beamwire.Cli.Shell;
using Beamwire.Cli.Shell.Backends;
using Beamwire.Cli.Shell.Eval;
using Beamwire.Cli.Shell.Printing;
using Beamwire.Cli.Shell.Syntax;
using Beamwire.Node;
using Beamwire.Testing;
using Beamwire.Terms;

namespace Beamwire.Cli.Tests.Shell;

/// <summary>
/// The shell's evaluator on a node of its own (no epmd, no peers), reading and printing one input the
/// way the prompt does: the value in the input's syntax, or the one error line.
/// </summary>
internal sealed class ShellHarness : IAsyncDisposable
{
    private readonly BeamNode _node;
    private readonly Mailbox _mailbox;
    private readonly Evaluator _evaluator;
    private readonly List<string> _printed = [];

    private ShellHarness(BeamNode node)
    {
        _node = node;
        _mailbox = node.CreateMailbox();
        var process = new ShellProcess(_mailbox, node.SelfAtom, commandNodeIsLocal: true);
        _evaluator = new Evaluator(new NodeNameBackend(node.SelfAtom), process, node.MakeRef, _printed.Add);
    }

    public string NodeName => _node.Self.Full;

    public static async Task<ShellHarness> StartAsync()
    {
        var node = await BeamNode.StartAsync(new BeamNodeOptions
        {
            Name = TestHost.UniqueName("shellunit"),
            Cookie = "unit",
            Epmd = EpmdMode.Disabled,
            ListenAddress = System.Net.IPAddress.Loopback,
            ListenPort = FreePort.Next(),
        });
        return new ShellHarness(node);
    }

    /// <summary>What the prompt prints for <paramref name="input"/> (Erlang when it ends in '.').</summary>
    public async Task<string> EvalAsync(string input, int counter = 1)
    {
        Expr expr;
        Dialect dialect;
        try
        {
            (expr, dialect) = Repl.Parse(input);
        }
        catch (SyntaxException ex)
        {
            return ex.Incomplete ? "(incomplete)" : Repl.SyntaxErrorLine(input, ex.Column, ex.Message, counter);
        }

        try
        {
            var value = await _evaluator.EvalAsync(expr, dialect, CancellationToken.None);
            return TermText.Format(value, dialect);
        }
        catch (ShellError ex)
        {
            return ex.Format(dialect);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _mailbox.Dispose();
        await _node.DisposeAsync();
    }

    /// <summary>Answers <c>erlang:node()</c>; any other remote call is undefined (these tests do not leave the shell).</summary>
    private sealed class NodeNameBackend(ErlangAtom node) : IShellBackend
    {
        public ErlangAtom Node => node;

        public Task<ErlangTerm> ApplyAsync(string module, string function, IReadOnlyList<ErlangTerm> args, CancellationToken cancellationToken) =>
            (module, function, args.Count) == ("erlang", "node", 0)
                ? Task.FromResult<ErlangTerm>(node)
                : throw ShellError.Undefined(module, function, args.Count);

        public IReadOnlyList<string> KnownNodes() => [node.Name];
    }
}
