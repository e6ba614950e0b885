using Beamwire.Cli.Rpc;
using Beamwire.Cli.Shell.Eval;
using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Backends;

/// <summary>
/// The shell's own node answers. <c>rpc:call</c> and <c>erpc:call</c> go out from the shell through
/// its rpc client (output comes back to this terminal); every other call runs on this node through
/// its own <c>rex</c>, exactly as a remote shell runs it there: what a Beamwire node exposes to rpc
/// (its built-ins, among them the operator functions, and the application's functions) is
/// what the local shell can call.
/// </summary>
internal sealed class LocalBackend(BeamNode node, IRpcClient rpc) : IShellBackend
{
    private readonly RemshBackend _self = new(node.Self.Full, rpc, () => []);

    public ErlangAtom Node => node.SelfAtom;

    public IReadOnlyList<string> KnownNodes() => node.Nodes(NodeListKind.Known).Select(n => n.Full).ToList();

    public async Task<ErlangTerm> ApplyAsync(string module, string function, IReadOnlyList<ErlangTerm> args, CancellationToken ct)
    {
        switch ((module, function, args.Count))
        {
            case ("rpc", "call", 4 or 5):
                return await RpcAsync(args, ct).ConfigureAwait(false);
            case ("erpc", "call", 4 or 5):
                return ErpcResult(await RpcAsync(args, ct).ConfigureAwait(false), args);
            default:
                return await _self.ApplyAsync(module, function, args, ct).ConfigureAwait(false);
        }
    }

    private async Task<ErlangTerm> RpcAsync(IReadOnlyList<ErlangTerm> args, CancellationToken ct)
    {
        if (args[0] is not ErlangAtom target || args[1] is not ErlangAtom m || args[2] is not ErlangAtom f || args[3] is not ErlangList a)
            throw ShellError.Argument("rpc call takes (node, module, function, args) with atoms and a list");
        TimeSpan? timeout = args.Count == 5 && args[4] is ErlangInteger ms ? TimeSpan.FromMilliseconds(ms.Value) : null;
        return await rpc.CallAsync(target.Name, m, f, a, timeout, ct).ConfigureAwait(false);
    }

    /// <summary>erpc:call raises where rpc:call returns <c>{badrpc, _}</c>.</summary>
    private static ErlangTerm ErpcResult(ErlangTerm result, IReadOnlyList<ErlangTerm> args)
    {
        if (!RpcTerms.IsBadRpc(result, out var why)) return result;
        if (why is ErlangTuple { Count: 2 } exit && exit[0] is ErlangAtom { Name: "EXIT" })
            throw ShellError.FromExit(exit[1], ((ErlangAtom)args[1]).Name, ((ErlangAtom)args[2]).Name, args[3] is ErlangList l ? l.Count : 0);
        var erpcReason = why is ErlangAtom { Name: "nodedown" } ? "noconnection" : why is ErlangAtom { Name: "timeout" } ? "timeout" : TermDisplay.Erlang(why);
        throw new ShellError("ErlangError", $"Erlang error: {{:erpc, :{erpcReason}}}", $"{{erpc,{erpcReason}}}");
    }
}
