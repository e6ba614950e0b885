using Beamwire.Cli.Rpc;
using Beamwire.Cli.Shell.Eval;
using Beamwire.Epmd;
using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Backends;

/// <summary>
/// The shell's own node answers: the node and net_kernel functions through <see cref="BeamNode"/>,
/// <c>net_adm:names</c> through epmd, <c>rpc</c>/<c>erpc</c> through the rpc client, and any other
/// call through rpc to this node's own rex (what a Beamwire node exposes to rpc, it exposes here).
/// </summary>
internal sealed class LocalBackend(BeamNode node, IRpcClient rpc, int epmdPort) : IShellBackend
{
    private static readonly TimeSpan SelfRpcTimeout = TimeSpan.FromSeconds(5);

    public ErlangAtom Node => node.SelfAtom;

    public IReadOnlyList<string> KnownNodes() => node.Nodes(NodeListKind.Known).Select(n => n.Full).ToList();

    public async Task<ErlangTerm> ApplyAsync(string module, string function, IReadOnlyList<ErlangTerm> args, CancellationToken ct)
    {
        switch ((module, function, args.Count))
        {
            case ("erlang", "node", 0):
                return node.SelfAtom;
            case ("erlang", "nodes", 0):
                return Atoms(node.Nodes(NodeListKind.Visible));
            case ("erlang", "nodes", 1):
                return Atoms(NodeLists.Select(node, args[0]));
            case ("erlang", "is_alive", 0):
                return ErlangAtom.True;
            case ("erlang", "get_cookie", 0):
                return ErlangAtom.Get(node.Cookie);
            case ("erlang", "registered", 0):
                return new ErlangList([.. node.RegisteredNames.Order(StringComparer.Ordinal).Select(n => (ErlangTerm)ErlangAtom.Get(n))]);
            case ("net_kernel", "connect_node", 1):
                return await node.ConnectAsync(NodeArg(args[0], module, function), ct).ConfigureAwait(false) ? ErlangAtom.True : ErlangAtom.False;
            case ("erlang", "disconnect_node", 1):
                node.Disconnect(NodeArg(args[0], module, function));
                return ErlangAtom.True; // as erlang:disconnect_node/1: true also when there was no connection
            case ("net_adm", "ping", 1):
                return ErlangAtom.Get(await node.PingAsync(NodeArg(args[0], module, function), null, ct).ConfigureAwait(false) == PingResult.Pong ? "pong" : "pang");
            case ("net_adm", "names", 0):
                return await NamesAsync(node.Self.Host, ct).ConfigureAwait(false);
            case ("net_adm", "names", 1):
                return await NamesAsync(HostArg(args[0]), ct).ConfigureAwait(false);
            case ("rpc", "call", 4 or 5):
                return await RpcAsync(args, ct).ConfigureAwait(false);
            case ("erpc", "call", 4 or 5):
                return ErpcResult(await RpcAsync(args, ct).ConfigureAwait(false), args);
            default:
                var result = await rpc.CallAsync(node.Self.Full, ErlangAtom.Get(module), ErlangAtom.Get(function), new ErlangList([.. args]), SelfRpcTimeout, ct).ConfigureAwait(false);
                if (RpcTerms.IsBadRpc(result, out var why))
                {
                    if (why is ErlangAtom { Name: "timeout" }) throw ShellError.Undefined(module, function, args.Count);
                    throw RemshBackend.ErrorOf(why, module, function, args.Count, node.Self.Full);
                }

                return result;
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
    internal static ErlangTerm ErpcResult(ErlangTerm result, IReadOnlyList<ErlangTerm> args)
    {
        if (!RpcTerms.IsBadRpc(result, out var why)) return result;
        if (why is ErlangTuple { Count: 2 } exit && exit[0] is ErlangAtom { Name: "EXIT" })
            throw ShellError.FromExit(exit[1], ((ErlangAtom)args[1]).Name, ((ErlangAtom)args[2]).Name, args[3] is ErlangList l ? l.Count : 0);
        var erpcReason = why is ErlangAtom { Name: "nodedown" } ? "noconnection" : why is ErlangAtom { Name: "timeout" } ? "timeout" : Eval.TermDisplay.Erlang(why);
        throw new ShellError("ErlangError", $"Erlang error: {{:erpc, :{erpcReason}}}", $"{{erpc,{erpcReason}}}");
    }

    private async Task<ErlangTerm> NamesAsync(string host, CancellationToken ct)
    {
        try
        {
            var names = await new EpmdClient(host, epmdPort).NamesAsync(ct).ConfigureAwait(false);
            return new ErlangTuple(ErlangAtom.Ok, new ErlangList([.. names.Select(n => (ErlangTerm)new ErlangTuple(new ErlangString(n.Name), ErlangInteger.Create(n.Port)))]));
        }
        catch (Exception ex) when (ex is EpmdException or System.Net.Sockets.SocketException)
        {
            return new ErlangTuple(ErlangAtom.Error, ErlangAtom.Get("address"));
        }
    }

    private static ErlangList Atoms(IEnumerable<NodeName> nodes) => new([.. nodes.Select(n => (ErlangTerm)ErlangAtom.Get(n.Full))]);

    private static string NodeArg(ErlangTerm t, string module, string function) =>
        t is ErlangAtom a ? a.Name : throw new ShellError("FunctionClauseError", $"no function clause matching in {ShellError.ModuleText(module)}.{function}/1 (a node name is an atom, e.g. :\"node1@host\")", $"no function clause matching {module}:{function}/1");

    private static string HostArg(ErlangTerm t) => t switch
    {
        ErlangAtom a => a.Name,
        ErlangString s => s.Value,
        ErlangList l => Eval.TermDisplay.CharListText(l) ?? throw ShellError.Argument("a host name"),
        _ => throw ShellError.Argument("a host name"),
    };
}
