using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Cli.Rpc;

/// <summary>
/// <see cref="IRpcClient"/> on the node's <c>rpc:call</c> (<see cref="BeamNode.RpcAsync(string, string, string, IReadOnlyList{ErlangTerm}, ErlangPid, TimeSpan?, CancellationToken)"/>)
/// with the command's own group leader, so what a remote function prints appears on this terminal, as
/// with <c>rpc:call</c> from an erl shell. Failures come back in rpc's shape, <c>{badrpc, Reason}</c>.
/// </summary>
internal sealed class NodeRpcClient(BeamNode node, ErlangPid groupLeader) : IRpcClient
{
    public async Task<ErlangTerm> CallAsync(string target, ErlangAtom module, ErlangAtom function, ErlangList args, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await node.RpcAsync(target, module.Name, function.Name, [.. args.Elements], groupLeader, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            return RpcTerms.BadRpc(ex.Reason);
        }
    }
}
