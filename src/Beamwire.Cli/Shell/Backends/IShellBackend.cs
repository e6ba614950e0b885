using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Backends;

/// <summary>
/// Where the shell's node commands run. The shell turns <c>Node.list()</c>, <c>:net_adm.ping(n)</c>,
/// <c>Process.list()</c>, <c>:rpc.call(...)</c> and any other <c>Mod.fun(args)</c> into an Erlang
/// call <c>M:F(Args)</c> and hands it here: <see cref="LocalBackend"/> answers on the shell's own
/// node, <see cref="RemshBackend"/> runs it on the <c>--remsh</c> target through rpc, as
/// <c>iex --remsh</c> evaluates there. <c>send</c>, <c>receive</c> and <c>flush</c> never come here:
/// they use the shell's own process.
/// </summary>
internal interface IShellBackend
{
    /// <summary>The node named in the prompt (<c>iex(node1@host)1&gt;</c>): the one commands run on.</summary>
    ErlangAtom Node { get; }

    /// <summary>
    /// Runs <c>M:F(Args)</c> on <see cref="Node"/> and returns its value; an exception there becomes a
    /// <see cref="Eval.ShellError"/>. <paramref name="module"/> is the atom text (<c>erlang</c>, <c>Elixir.String</c>).
    /// </summary>
    Task<ErlangTerm> ApplyAsync(string module, string function, IReadOnlyList<ErlangTerm> args, CancellationToken cancellationToken);

    /// <summary>Names to offer in tab completion: nodes this node knows (connected ones, itself).</summary>
    IReadOnlyList<string> KnownNodes();
}
