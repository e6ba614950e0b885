using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// The functions an operator drives a node with from a remote shell or <c>rpc:call</c> (erl's
/// <c>rpc:call(BeamwireNode, net_adm, ping, [Other])</c>, <c>beamwire shell --remsh</c>): connecting,
/// disconnecting and pinging from this node, its cookie, and <c>rpc:call</c> made from here. Every node
/// has them; a function the application registers under the same name replaces the built-in one.
/// </summary>
internal static class OperatorFunctions
{
    private static readonly ErlangAtom Pong = ErlangAtom.Get("pong");
    private static readonly ErlangAtom Pang = ErlangAtom.Get("pang");
    private static readonly ErlangAtom BadRpc = ErlangAtom.Get("badrpc");
    private static readonly ErlangAtom FunctionClause = ErlangAtom.Get("function_clause");

    public static void Register(BeamNode node, FunctionRegistry f)
    {
        f.Register("net_kernel", "connect_node", 1, async (_, args) =>
            await node.ConnectAsync(NodeArg(args[0]), CancellationToken.None).ConfigureAwait(false) ? ErlangAtom.True : ErlangAtom.False);
        f.Register("erlang", "disconnect_node", 1, args =>
        {
            node.Disconnect(NodeArg(args[0]));
            return ErlangAtom.True; // as erlang:disconnect_node/1: true whether or not a connection was there
        });
        f.Register("net_adm", "ping", 1, async (_, args) =>
            await node.PingAsync(NodeArg(args[0])).ConfigureAwait(false) == PingResult.Pong ? Pong : Pang);
        f.Register("erlang", "get_cookie", 0, _ => ErlangAtom.Get(node.Cookie));
        // rpc:call run on this node: a remote shell's rpc:call(Other, M, F, A) goes from here, as on erl, with
        // the calling process's group leader (so the output reaches whoever called us).
        f.Register("rpc", "call", 4, (self, args) => RpcFromHereAsync(self, args, null));
        f.Register("rpc", "call", 5, (self, args) => RpcFromHereAsync(self, args, args[4] switch
        {
            ErlangInteger { Value: >= 0 } ms => TimeSpan.FromMilliseconds(ms.Value),
            ErlangAtom { Name: "infinity" } => null,
            _ => throw new ErlangErrorException(FunctionClause),
        }));
    }

    private static async ValueTask<ErlangTerm> RpcFromHereAsync(BeamProcess self, ErlangTerm[] args, TimeSpan? timeout)
    {
        if (args[1] is not ErlangAtom m || args[2] is not ErlangAtom fun || args[3] is not ErlangList { IsProper: true } a)
            throw new ErlangErrorException(FunctionClause);
        var node = self.Node;
        try
        {
            return await node.RpcAsync(NodeArg(args[0]), m.Name, fun.Name, [.. a.Elements], self.GroupLeader ?? node.GroupLeaderPid, timeout).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            return new ErlangTuple(BadRpc, ex.Reason);
        }
    }

    // As in Erlang, a node name that is not an atom is a function_clause error.
    private static string NodeArg(ErlangTerm t) => t is ErlangAtom a ? a.Name : throw new ErlangErrorException(FunctionClause);
}
