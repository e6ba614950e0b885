using Beamwire.Node.Otp;
using Beamwire.Node.Processes;
using Beamwire.Node.Services;
using Beamwire.Terms;

namespace Beamwire.Node;

// The client side: gen_server:call/3 and gen_server:cast/2, for any gen_server on any node.
public abstract partial class GenServer
{
    private static readonly ErlangAtom GenServerAtom = ErlangAtom.Get("gen_server");
    private static readonly ErlangAtom CallAtom = ErlangAtom.Get("call");

    /// <summary>The default call timeout, as gen_server's (5 s).</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// gen_server:call/3 from <paramref name="caller"/>: monitors the server with an alias
    /// (<c>[alias|Ref]</c> tag, as OTP 24+ does), sends <c>{'$gen_call', {Caller, Tag}, Request}</c> and waits
    /// for the reply. Fails with <see cref="GenServerCallException"/> on timeout (a late reply is then
    /// dropped), when the server does not exist (<c>noproc</c>), its node goes down (<c>{nodedown, Node}</c>)
    /// or it exits first (its reason).
    /// </summary>
    public static async Task<ErlangTerm> CallAsync(LocalProcess caller, ServerRef server, ErlangTerm request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(request);
        var limit = timeout ?? DefaultCallTimeout;
        var node = caller.Node;
        var targetNode = server.Pid?.Node ?? server.NodeAtom ?? node.SelfAtom;
        ErlangTerm target = server.Pid is { } p ? p : server.Name!;
        if (ReferenceEquals(targetNode, node.SelfAtom))
        {
            var local = server.Pid is { } lp ? node.Processes.Lookup(lp) : node.Processes.Whereis(server.Name!);
            if (server.Pid is null && local is null) throw Failed(ErlangAtom.NoProc, server, request, limit);
            if (ReferenceEquals(local, caller)) throw Failed(ErlangAtom.Get("calling_self"), server, request, limit); // it would wait for itself
        }

        ErlangReference mref;
        ErlangTerm tag;
        using (Connection.Cork.Begin()) // the monitor and the request leave in one write
        {
            mref = caller.MonitorWithAlias(target, targetNode);
            tag = GenReply.AliasTag(mref);
            var message = GenMessages.Call(caller.Pid, tag, request);
            if (server.Pid is { } pid) caller.Send(pid, message);
            else caller.Send(server.Name!.Name, targetNode.Name, message);
        }

        ErlangTerm? reply;
        try
        {
            reply = await caller.TryReceiveAsync(
                m => m is ErlangTuple { Count: 2 } r && r[0] is ErlangList && r[0].Equals(tag) || ProcessAtoms.IsDownFor(m, mref),
                limit, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (caller.IsAlive) caller.Demonitor(mref, flush: true); // the alias goes too: a late reply is dropped
            throw;
        }

        if (reply is null)
        {
            caller.Demonitor(mref, flush: true); // also deactivates the alias: a late reply is dropped
            throw Failed(ErlangAtom.Timeout, server, request, limit);
        }

        var t = (ErlangTuple)reply;
        if (t.Count == 2)
        {
            caller.Demonitor(mref, flush: true);
            return t[1];
        }

        var reason = t[4];
        if (ReferenceEquals(reason, ErlangAtom.NoConnection)) reason = new ErlangTuple(ProcessAtoms.NodeDown, targetNode);
        throw Failed(reason, server, request, limit);
    }

    /// <summary>gen_server:call/3 from outside any process (a short-lived mailbox makes the call).</summary>
    public static async Task<ErlangTerm> CallAsync(BeamNode node, ServerRef server, ErlangTerm request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var mailbox = node.CreateMailbox();
        return await CallAsync(mailbox, server, request, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>gen_server:cast/2: sends <c>{'$gen_cast', Request}</c> and returns at once (never fails).</summary>
    public static void Cast(LocalProcess sender, ServerRef server, ErlangTerm request)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(server);
        var message = GenMessages.Cast(request);
        if (server.Pid is { } pid) sender.Node.Router.SendNow(sender.Pid, pid, message);
        else sender.Node.Router.SendNow(sender.Pid, server.Name!, server.NodeAtom ?? sender.Node.SelfAtom, message);
    }

    /// <summary>gen_server:cast/2 from the node's system process.</summary>
    public static void Cast(BeamNode node, ServerRef server, ErlangTerm request)
    {
        ArgumentNullException.ThrowIfNull(node);
        Cast(node.SystemProcess, server, request);
    }

    private static GenServerCallException Failed(ErlangTerm reason, ServerRef server, ErlangTerm request, TimeSpan timeout)
    {
        ErlangTerm t = timeout == Timeout.InfiniteTimeSpan ? ErlangAtom.Infinity : ErlangInteger.Create((long)timeout.TotalMilliseconds);
        var mfa = new ErlangTuple(GenServerAtom, CallAtom, new ErlangList(server.ToTerm(), request, t));
        return new GenServerCallException(reason, new ErlangTuple(reason, mfa));
    }
}
