using Beamwire.Node.Connection;
using Beamwire.Node.Otp;
using Beamwire.Node.Processes;
using Beamwire.Node.Services;
using Beamwire.Terms;

namespace Beamwire.Node.GlobalNames;

/// <summary>
/// The calls global's helpers make to the global_name_servers of a set of nodes: gen_server:multi_call,
/// and set_lock/del_lock built on it (OTP's <c>set_lock_on_nodes</c>, <c>check_replies</c>). Locks record the
/// calling process as holder (the servers monitor it), so the caller is the process that holds the lock.
/// </summary>
internal static class GlobalCalls
{
    /// <summary>gen_server:multi_call(Nodes, global_name_server, Request): the replies of the nodes that answered.</summary>
    public static async Task<List<(ErlangAtom Node, ErlangTerm Reply)>> MultiCallAsync(LocalProcess caller, IReadOnlyList<ErlangAtom> nodes, ErlangTerm request)
    {
        var pending = new Dictionary<ErlangReference, ErlangAtom>(nodes.Count);
        var replies = new List<(ErlangAtom, ErlangTerm)>(nodes.Count);
        if (nodes.Count == 0) return replies;
        using (Cork.Begin())
        {
            foreach (var node in nodes)
            {
                var mref = caller.MonitorWithAlias(GlobalAtoms.ServerName, node);
                pending[mref] = node;
                caller.Send(GlobalAtoms.ServerName.Name, node.Name, GenMessages.Call(caller.Pid, GenReply.AliasTag(mref), request));
            }
        }

        // This may run on a thread no process run owns (a receive's timer): a process the sends woke and
        // left to this thread to run next would wait there forever, so it goes to the pool.
        LocalProcess.QueueHandOffs();

        bool IsAnswer(ErlangTerm m) => AnswerRef(m) is { } r && pending.ContainsKey(r);
        while (pending.Count > 0)
        {
            var m = await GlobalLocker.ReceiveMatchAsync(caller, IsAnswer).ConfigureAwait(false);
            if (AnswerRef(m) is not { } mref || !pending.Remove(mref, out var node)) continue;
            if (m is ErlangTuple { Count: 2 } reply)
            {
                caller.Demonitor(mref, flush: true);
                replies.Add((node, reply[1]));
            }
        }

        return replies;
    }

    private static ErlangReference? AnswerRef(ErlangTerm m) => m switch
    {
        ErlangTuple { Count: 2 } t when GenReply.TryGetAlias(t[0], out var alias) => alias,
        ErlangTuple { Count: 5 } d when ReferenceEquals(d[0], ProcessAtoms.Down) => d[1] as ErlangReference,
        _ => null,
    };

    /// <summary>set_lock_on_nodes: one attempt at locking <paramref name="id"/> (<c>{ResourceId, LockRequesterId}</c>) on every node.</summary>
    public static async Task<bool> SetLockOnNodesAsync(LocalProcess caller, GlobalTables tables, ErlangTuple id, IReadOnlyList<ErlangAtom> nodes)
    {
        if (nodes.Count == 0) return true;
        // Probe the local lock first when locking several nodes (local_lock_check).
        if (nodes.Count > 1 && nodes.Contains(caller.Node.SelfAtom) && !tables.CanSetLock(id[0], id[1])) return false;
        var replies = await MultiCallAsync(caller, nodes, new ErlangTuple(GlobalAtoms.SetLock, id)).ConfigureAwait(false);
        var failed = false;
        foreach (var (_, reply) in replies) failed |= !ReferenceEquals(reply, ErlangAtom.True);
        if (!failed) return true;
        if (replies.Count > 1)
        {
            var granted = replies.Where(r => ReferenceEquals(r.Reply, ErlangAtom.True)).Select(r => r.Node).ToList();
            await MultiCallAsync(caller, granted, new ErlangTuple(GlobalAtoms.DelLock, id)).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>del_lock(Id, Nodes).</summary>
    public static Task DelLockAsync(LocalProcess caller, ErlangTuple id, IReadOnlyList<ErlangAtom> nodes) =>
        MultiCallAsync(caller, nodes, new ErlangTuple(GlobalAtoms.DelLock, id));

    /// <summary>delete_global_lock: the boss (the greatest node) is unlocked last.</summary>
    public static async Task DeleteGlobalLockAsync(LocalProcess caller, ErlangTuple id, IReadOnlyList<ErlangAtom> nodes)
    {
        if (nodes.Count == 0) return;
        var boss = Boss(nodes);
        await DelLockAsync(caller, id, nodes.Where(n => !ReferenceEquals(n, boss)).ToList()).ConfigureAwait(false);
        await DelLockAsync(caller, id, [boss]).ConfigureAwait(false);
    }

    /// <summary>the_boss: <c>lists:max(Nodes)</c>.</summary>
    public static ErlangAtom Boss(IEnumerable<ErlangAtom> nodes)
    {
        ErlangAtom? max = null;
        foreach (var n in nodes)
        {
            if (max is null || n.CompareTo(max) > 0) max = n;
        }

        return max!;
    }

    /// <summary>random_sleep(Times): 1/4 s at first, doubling up to 8 s.</summary>
    public static Task RandomSleepAsync(int times)
    {
        var max = times > 5 ? 8000 : (1 << times) * 1000 / 8;
        return Task.Delay(Random.Shared.Next(1, Math.Max(2, max + 1)));
    }
}
