using Beamwire.Terms;

namespace Beamwire.Cli.Rpc;

/// <summary>
/// <c>rpc:call/5</c> as the CLI needs it: the result is what <c>rpc:call</c> returns (the value, or
/// <c>{badrpc, Reason}</c>; <c>{badrpc, nodedown}</c> when the node cannot be reached,
/// <c>{badrpc, timeout}</c> when it did not answer in time). The commands and the shell use only this
/// seam; <see cref="NodeRpcClient"/> implements it on the node's <c>RpcAsync</c>.
/// </summary>
internal interface IRpcClient
{
    Task<ErlangTerm> CallAsync(string node, ErlangAtom module, ErlangAtom function, ErlangList args, TimeSpan? timeout, CancellationToken cancellationToken);
}
