using Beamwire.Cli.Rpc;
using Beamwire.Cli.Shell.Eval;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Backends;

/// <summary>
/// <c>--remsh</c>: every node command runs on the target through <c>rpc:call</c>, so its answers are
/// the target's (its node name, its connections, its processes), whether the target is a Beamwire node
/// or a real erl/iex node.
/// </summary>
internal sealed class RemshBackend(string target, IRpcClient rpc, Func<IReadOnlyList<string>> localKnown) : IShellBackend
{
    private readonly List<string> _seen = [];

    public ErlangAtom Node { get; } = ErlangAtom.Get(target);

    public IReadOnlyList<string> KnownNodes()
    {
        lock (_seen) return [target, .. _seen, .. localKnown()];
    }

    public async Task<ErlangTerm> ApplyAsync(string module, string function, IReadOnlyList<ErlangTerm> args, CancellationToken ct)
    {
        var result = await rpc.CallAsync(target, ErlangAtom.Get(module), ErlangAtom.Get(function), new ErlangList([.. args]), null, ct).ConfigureAwait(false);
        if (RpcTerms.IsBadRpc(result, out var why) && !(module == "rpc" && function is "call" or "multicall"))
            throw ErrorOf(why, module, function, args.Count, target);
        if (module == "erlang" && function == "nodes" && result is ErlangList nodes) Remember(nodes);
        return result;
    }

    /// <summary>The shell error for an rpc failure: the call raised (<c>{'EXIT', R}</c>) or the node is gone.</summary>
    internal static ShellError ErrorOf(ErlangTerm why, string module, string function, int arity, string node)
    {
        if (why is ErlangTuple { Count: 2 } exit && exit[0] is ErlangAtom { Name: "EXIT" })
            return ShellError.FromExit(exit[1], module, function, arity);
        if (why is ErlangAtom { Name: "nodedown" })
            return new ShellError("RuntimeError", $"cannot reach {node}: the node is down or refused the connection", $"cannot reach {node}: nodedown");
        return new ShellError("ErlangError", "Erlang error: " + TermDisplay.Elixir(why), TermDisplay.Erlang(why));
    }

    private void Remember(ErlangList nodes)
    {
        lock (_seen)
        {
            foreach (var n in nodes.Elements)
                if (n is ErlangAtom a && !_seen.Contains(a.Name)) _seen.Add(a.Name);
        }
    }
}
