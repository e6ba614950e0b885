using Beamwire.Terms;

namespace Beamwire.Node;

// Sending from a process: Pid ! Msg, {Name, Node} ! Msg, Alias ! Msg.
public abstract partial class LocalProcess
{
    /// <summary><c>Pid ! Message</c> to a process on any node. A local send is lock-free; a remote one is queued on the connection (connecting on demand).</summary>
    public void Send(ErlangPid to, ErlangTerm message)
    {
        ThrowIfExited();
        _node.Router.Send(_pid, to, message);
    }

    /// <summary>Sends to a process registered on this node under <paramref name="name"/>.</summary>
    public void Send(string name, ErlangTerm message)
    {
        ThrowIfExited();
        _node.Router.Send(_pid, ErlangAtom.Get(name), _node.SelfAtom, message);
    }

    /// <summary><c>{Name, Node} ! Message</c>: a process registered on another (or this) node.</summary>
    public void Send(string name, string node, ErlangTerm message)
    {
        ThrowIfExited();
        _node.Router.Send(_pid, ErlangAtom.Get(name), ErlangAtom.Get(node), message);
    }

    /// <summary>Sends to a process alias (ALIAS_SEND across the wire); dropped when the alias is no longer active.</summary>
    public void Send(ErlangReference alias, ErlangTerm message)
    {
        ThrowIfExited();
        _node.Router.SendToAlias(_pid, alias, message);
    }

    /// <summary>Sends, waiting while the connection's send queue is full (back-pressure) and while it connects.</summary>
    public ValueTask SendAsync(ErlangPid to, ErlangTerm message, CancellationToken cancellationToken = default)
    {
        ThrowIfExited();
        return _node.Router.SendAsync(_pid, to, message, cancellationToken);
    }

    /// <summary>Sends to <c>{Name, Node}</c>, waiting under back-pressure.</summary>
    public ValueTask SendAsync(string name, string node, ErlangTerm message, CancellationToken cancellationToken = default)
    {
        ThrowIfExited();
        return _node.Router.SendAsync(_pid, ErlangAtom.Get(name), ErlangAtom.Get(node), message, cancellationToken);
    }
}
