using Beamwire.Node.Services;
using Beamwire.Terms;

namespace Beamwire.Node.Groups;

/// <summary>
/// A pg scope on this node: Erlang's distributed process groups (<c>pg</c>, OTP 23+), shared with every
/// connected node that runs a scope of the same name, BEAM or Beamwire. A process of this node that
/// joins a group is listed by <c>pg:get_members/2</c> on every such node, and their members are listed
/// here. Membership is eventually consistent, as in pg: a change reaches each node in the order it was
/// made there. A member leaves when it exits; a node's members leave when it goes down.
/// </summary>
/// <remarks>
/// Get the default scope with <see cref="BeamNode.Pg"/> and a named one with <see cref="BeamNode.PgScope"/>.
/// Groups are any term (Elixir code often uses atoms, strings or tuples); the string overloads are for
/// atom names, as <c>:my_group</c> is on the Elixir side.
/// </remarks>
public sealed class PgScope
{
    private readonly PgService _service;
    private readonly BeamNode _node;

    internal PgScope(BeamNode node, PgService service)
    {
        _node = node;
        _service = service;
    }

    internal PgService Service => _service;

    /// <summary>The scope's name: the name its process is registered under on every node.</summary>
    public string Name => _service.Name.Name;

    /// <summary>The scope's process (the pid peers' scopes monitor).</summary>
    public ErlangPid Pid => _service.Pid;

    /// <summary>The scope processes of other nodes this scope exchanges membership with.</summary>
    public IReadOnlyList<ErlangPid> Peers => _service.Peers;

    /// <summary><c>pg:join(Scope, Group, Pid)</c>: the process joins the group (again, if it is already a member).</summary>
    public void Join(ErlangTerm group, ErlangPid pid)
    {
        ArgumentNullException.ThrowIfNull(group);
        _service.Join(group, [EnsureLocal(pid)], pid);
    }

    /// <summary><c>pg:join(Scope, Group, Pids)</c>: all the processes join, in one change.</summary>
    public void Join(ErlangTerm group, IEnumerable<ErlangPid> pids)
    {
        ArgumentNullException.ThrowIfNull(group);
        var list = Locals(pids);
        if (list.Length == 0) return;
        _service.Join(group, list, new ErlangList([.. list]));
    }

    /// <summary>Joins the group named by the atom <paramref name="group"/>.</summary>
    public void Join(string group, ErlangPid pid) => Join(ErlangAtom.Get(group), pid);

    /// <summary>
    /// <c>pg:leave(Scope, Group, Pid)</c>: takes away one of the process's memberships of the group; false
    /// (pg's <c>not_joined</c>) when it was not a member.
    /// </summary>
    public bool Leave(ErlangTerm group, ErlangPid pid)
    {
        ArgumentNullException.ThrowIfNull(group);
        return _service.Leave(group, [EnsureLocal(pid)], pid);
    }

    /// <summary><c>pg:leave(Scope, Group, Pids)</c>: false when none of them was a member.</summary>
    public bool Leave(ErlangTerm group, IEnumerable<ErlangPid> pids)
    {
        ArgumentNullException.ThrowIfNull(group);
        var list = Locals(pids);
        return list.Length > 0 && _service.Leave(group, list, new ErlangList([.. list]));
    }

    /// <summary>Leaves the group named by the atom <paramref name="group"/>.</summary>
    public bool Leave(string group, ErlangPid pid) => Leave(ErlangAtom.Get(group), pid);

    /// <summary><c>pg:get_members(Scope, Group)</c>: the members on every node (a pid joined twice is listed twice).</summary>
    public IReadOnlyList<ErlangPid> GetMembers(ErlangTerm group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return _service.Members(group);
    }

    /// <inheritdoc cref="GetMembers(ErlangTerm)"/>
    public IReadOnlyList<ErlangPid> GetMembers(string group) => GetMembers(ErlangAtom.Get(group));

    /// <summary><c>pg:get_local_members(Scope, Group)</c>: the members on this node.</summary>
    public IReadOnlyList<ErlangPid> GetLocalMembers(ErlangTerm group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return _service.LocalMembers(group);
    }

    /// <inheritdoc cref="GetLocalMembers(ErlangTerm)"/>
    public IReadOnlyList<ErlangPid> GetLocalMembers(string group) => GetLocalMembers(ErlangAtom.Get(group));

    /// <summary><c>pg:which_groups(Scope)</c>: every group with a member on any node.</summary>
    public IReadOnlyList<ErlangTerm> WhichGroups() => _service.Groups();

    /// <summary><c>pg:which_local_groups(Scope)</c>: the groups with a member on this node.</summary>
    public IReadOnlyList<ErlangTerm> WhichLocalGroups() => _service.LocalGroups();

    /// <summary>
    /// <c>pg:monitor_scope(Scope)</c>: every group and its members now; from then on
    /// <paramref name="subscriber"/> gets <c>{Ref, join, Group, Pids}</c> and <c>{Ref, leave, Group, Pids}</c>
    /// for every change, until <see cref="Demonitor"/> or its exit.
    /// </summary>
    public PgScopeSnapshot MonitorScope(LocalProcess subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var (mref, groups) = _service.MonitorScope(subscriber.Pid);
        return new PgScopeSnapshot(mref, groups);
    }

    /// <summary><c>pg:monitor(Scope, Group)</c>: the group's members now, and the same messages for its changes only.</summary>
    public PgGroupSnapshot Monitor(LocalProcess subscriber, ErlangTerm group)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(group);
        var (mref, members) = _service.MonitorGroup(subscriber.Pid, group);
        return new PgGroupSnapshot(mref, members);
    }

    /// <summary>
    /// <c>pg:demonitor(Scope, Ref)</c>: ends a <see cref="MonitorScope"/> or <see cref="Monitor"/>
    /// subscription; false when it was not one (or had ended). Updates already in the subscriber's mailbox stay there.
    /// </summary>
    public bool Demonitor(ErlangReference subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return _service.Demonitor(subscription);
    }

    public override string ToString() => $"pg scope {Name} on {_node.Self.Full}";

    private ErlangPid EnsureLocal(ErlangPid pid)
    {
        ArgumentNullException.ThrowIfNull(pid);
        // pg:join/leave accept only processes of the calling node ({nolocal, Pid}).
        if (!ReferenceEquals(pid.Node, _node.SelfAtom) || pid.Creation != _node.Creation)
            throw new ArgumentException($"{pid} is not a process of {_node.Self.Full}: only local processes join pg groups.", nameof(pid));
        return pid;
    }

    private ErlangPid[] Locals(IEnumerable<ErlangPid> pids)
    {
        ArgumentNullException.ThrowIfNull(pids);
        return pids.Select(EnsureLocal).ToArray();
    }
}

/// <summary>What <see cref="PgScope.MonitorScope"/> returns: the subscription's reference (updates carry it) and every group's members.</summary>
public sealed record PgScopeSnapshot(ErlangReference Ref, IReadOnlyDictionary<ErlangTerm, IReadOnlyList<ErlangPid>> Groups);

/// <summary>What <see cref="PgScope.Monitor"/> returns: the subscription's reference and the group's members.</summary>
public sealed record PgGroupSnapshot(ErlangReference Ref, IReadOnlyList<ErlangPid> Members);
