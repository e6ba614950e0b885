using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Cli.Rpc;

/// <summary>
/// The client side of <c>rpc:call</c>: a gen_server call to <c>{rex, Node}</c> with
/// <c>{call, M, F, A, GroupLeader}</c> (rpc.erl), which every Erlang node's rex answers with the
/// value or <c>{badrpc, {'EXIT', Reason}}</c>. Output the call prints goes to
/// <paramref name="groupLeader"/> (an <see cref="IoServer"/>), as rpc routes it to the caller's group leader.
/// </summary>
internal sealed class RexRpcClient(BeamNode node, ErlangPid groupLeader) : IRpcClient
{
    private static readonly ErlangAtom CallAtom = ErlangAtom.Get("call");

    public async Task<ErlangTerm> CallAsync(string target, ErlangAtom module, ErlangAtom function, ErlangList args, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!NodeName.TryParse(target, out var name)) return RpcTerms.BadRpc(RpcTerms.Nodedown);
        if (name != node.Self && !await node.ConnectAsync(target, cancellationToken).ConfigureAwait(false))
            return RpcTerms.BadRpc(RpcTerms.Nodedown);

        using var mailbox = node.CreateMailbox();
        var tag = node.MakeRef();
        using var down = new CancellationTokenSource();
        void OnDown(object? sender, NodeDownEventArgs e)
        {
            if (e.Node == name) down.Cancel();
        }

        node.NodeDown += OnDown;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, down.Token);
            var request = new ErlangTuple(CallAtom, module, function, args, groupLeader);
            await mailbox.SendAsync("rex", target, GenCall.Request(mailbox.Pid, tag, request), linked.Token).ConfigureAwait(false);
            var reply = await mailbox.ReceiveAsync(m => GenCall.IsReply(m, tag), timeout, linked.Token).ConfigureAwait(false);
            return GenCall.ReplyValue(reply);
        }
        catch (TimeoutException)
        {
            return RpcTerms.BadRpc(ErlangAtom.Timeout);
        }
        catch (OperationCanceledException) when (down.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return RpcTerms.BadRpc(RpcTerms.Nodedown);
        }
        finally
        {
            node.NodeDown -= OnDown;
        }
    }
}
