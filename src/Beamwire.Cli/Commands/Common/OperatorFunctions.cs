using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Cli.Commands.Common;

/// <summary>
/// The functions an operator's remote shell calls on a node beyond what every Beamwire node's rex
/// already answers (node/0, nodes/0,1, registered/0, processes/0, net_adm:names/0 ...): connecting,
/// disconnecting and pinging from that node, and its cookie. Registered on the nodes <c>beamwire node</c>
/// and <c>beamwire shell</c> run, so <c>beamwire shell --remsh</c> (or <c>iex --remsh</c>-style rpc from
/// Erlang) can drive them as it drives an erl node. Functions the node already exposes are left alone.
/// </summary>
internal static class OperatorFunctions
{
    public static void Register(BeamNode node)
    {
        var f = node.Functions;
        Add(f, "net_kernel", "connect_node", 1, async (_, args) =>
            await node.ConnectAsync(NodeArg(args[0]), CancellationToken.None).ConfigureAwait(false) ? ErlangAtom.True : ErlangAtom.False);
        Add(f, "erlang", "disconnect_node", 1, (_, args) =>
        {
            node.Disconnect(NodeArg(args[0]));
            return ValueTask.FromResult<ErlangTerm>(ErlangAtom.True);
        });
        Add(f, "net_adm", "ping", 1, async (_, args) =>
            ErlangAtom.Get(await node.PingAsync(NodeArg(args[0])).ConfigureAwait(false) == PingResult.Pong ? "pong" : "pang"));
        Add(f, "erlang", "get_cookie", 0, (_, _) => ValueTask.FromResult<ErlangTerm>(ErlangAtom.Get(node.Cookie)));
        // rpc:call run on this node (a remote shell's :rpc.call(other, m, f, a) goes from here, as on erl).
        Add(f, "rpc", "call", 4, (_, args) => RpcFromHereAsync(node, args, null));
        Add(f, "rpc", "call", 5, (_, args) => RpcFromHereAsync(node, args, args[4] is ErlangInteger ms ? TimeSpan.FromMilliseconds(ms.Value) : null));
    }

    private static async ValueTask<ErlangTerm> RpcFromHereAsync(BeamNode node, ErlangTerm[] args, TimeSpan? timeout)
    {
        if (args[1] is not ErlangAtom m || args[2] is not ErlangAtom fun || args[3] is not ErlangList a)
            throw new ErlangErrorException(ErlangAtom.Badarg);
        try
        {
            return await node.RpcAsync(NodeArg(args[0]), m.Name, fun.Name, a.Elements.ToArray(), timeout).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            return new ErlangTuple(ErlangAtom.Get("badrpc"), ex.Reason);
        }
    }

    private static void Add(FunctionRegistry f, string m, string fun, int arity, Func<BeamProcess, ErlangTerm[], ValueTask<ErlangTerm>> body)
    {
        if (!f.IsRegistered(m, fun, arity)) f.Register(m, fun, arity, body);
    }

    // As in Erlang, a node name that is not an atom is a function_clause error.
    private static string NodeArg(ErlangTerm t) =>
        t is ErlangAtom a ? a.Name : throw new ErlangErrorException(ErlangAtom.Get("function_clause"));
}
