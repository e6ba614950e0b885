using Beamwire.Terms;

namespace Beamwire.Node.GlobalNames;

/// <summary>
/// global's name registry seen from .NET (<c>global:register_name/3</c>, <c>unregister_name/1</c>,
/// <c>whereis_name/1</c>, <c>registered_names/0</c>, <c>send/2</c>): one table shared with every node of the
/// global partition, Erlang or Beamwire. Registering takes the lock <c>{global, Pid}</c> on all known nodes,
/// as global's registrar does, so a registration and a joining partition never cross.
/// </summary>
public sealed class GlobalRegistry
{
    private readonly BeamNode _node;
    private readonly GlobalServer _server;

    internal GlobalRegistry(BeamNode node, GlobalServer server)
    {
        _node = node;
        _server = server;
    }

    /// <summary><c>global:whereis_name/1</c>: the pid, or null (a local pid that exited counts as none).</summary>
    public ErlangPid? WhereIs(ErlangTerm name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_server.Tables.Lookup(name) is not { } entry) return null;
        return ReferenceEquals(entry.Pid.Node, _node.SelfAtom) && !_node.IsProcessAlive(entry.Pid) ? null : entry.Pid;
    }

    /// <summary><c>global:registered_names/0</c>.</summary>
    public IReadOnlyList<ErlangTerm> RegisteredNames() => _server.Tables.Names().Select(n => n.Name).ToList();

    /// <summary><c>global:send/2</c>: sends to the pid registered under <paramref name="name"/>; false when none is.</summary>
    public bool Send(ErlangTerm name, ErlangTerm message)
    {
        if (WhereIs(name) is not { } pid) return false;
        _node.Send(pid, message);
        return true;
    }

    /// <summary>
    /// <c>global:register_name/3</c>: true (<c>yes</c>) when the name was free and the pid had no global name;
    /// <paramref name="conflict"/> says what happens when a joining partition holds the same name.
    /// </summary>
    public Task<bool> RegisterAsync(ErlangTerm name, ErlangPid pid, GlobalConflict conflict = GlobalConflict.RandomExit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pid);
        var method = GlobalResolve.Method(conflict);
        return RunLockedAsync(async (self, nodes) =>
        {
            if (WhereIs(name) is not null || _server.Tables.HasName(pid)) return false;
            await GlobalCalls.MultiCallAsync(self, nodes, new ErlangTuple(GlobalAtoms.Register, name, pid, method)).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary><c>global:unregister_name/1</c>.</summary>
    public async Task UnregisterAsync(ErlangTerm name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (WhereIs(name) is null && _server.Tables.Lookup(name) is null) return;
        await RunLockedAsync(async (self, nodes) =>
        {
            await GlobalCalls.MultiCallAsync(self, nodes, new ErlangTuple(GlobalAtoms.Unregister, name)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>trans_all_known: runs <paramref name="action"/> in a process holding <c>{global, Self}</c> on this node and all known ones.</summary>
    private Task<bool> RunLockedAsync(Func<LocalProcess, List<ErlangAtom>, Task<bool>> action, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _node.Spawn(async self =>
        {
            try
            {
                var id = new ErlangTuple(GlobalAtoms.Global, self.Pid);
                var nodes = await SetLockKnownAsync(self, id, cancellationToken).ConfigureAwait(false);
                try
                {
                    done.TrySetResult(await action(self, nodes).ConfigureAwait(false));
                }
                finally
                {
                    await GlobalCalls.DeleteGlobalLockAsync(self, id, nodes).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // handed to the caller
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.TrySetException(ex);
            }
        });
        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task<List<ErlangAtom>> SetLockKnownAsync(LocalProcess self, ErlangTuple id, CancellationToken cancellationToken)
    {
        for (var times = 0; ; times++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var known = _server.KnownNodes;
            var nodes = known.Prepend(_node.SelfAtom).ToList();
            var boss = GlobalCalls.Boss(nodes);
            if (await GlobalCalls.SetLockOnNodesAsync(self, _server.Tables, id, [boss]).ConfigureAwait(false))
            {
                if (await GlobalCalls.SetLockOnNodesAsync(self, _server.Tables, id, nodes).ConfigureAwait(false) &&
                    _server.KnownNodes.All(known.Contains))
                    return nodes;
                await GlobalCalls.DelLockAsync(self, id, [boss]).ConfigureAwait(false);
            }

            await GlobalCalls.RandomSleepAsync(times).ConfigureAwait(false);
        }
    }
}
