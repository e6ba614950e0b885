using Beamwire.Terms;

namespace Beamwire.Node.GlobalNames;

// The names table: inserts and deletes (from register calls and the sync's operations) and clash resolution.
internal sealed partial class GlobalServer
{
    private void InsertName(ErlangTerm name, ErlangPid pid, ErlangTerm method)
    {
        DeleteName(name);
        Tables.AddName(new GlobalName(name, pid, method, Monitor(pid)));
    }

    private void DeleteName(ErlangTerm name)
    {
        if (Tables.RemoveName(name) is { } entry) Demonitor(entry.Monitor, flush: true);
    }

    /// <summary>get_names: <c>[{Name, Pid, Method}]</c>.</summary>
    private ErlangList NamesList() =>
        new([.. Tables.Names().Select(n => (ErlangTerm)new ErlangTuple(n.Name, n.Pid, n.Method))]);

    /// <summary>do_ops: <c>{insert, {Name, Pid, Method}}</c> and <c>{delete, Name}</c>.</summary>
    private void DoOps(List<ErlangTerm> ops)
    {
        foreach (var op in ops)
        {
            if (op is ErlangTuple { Count: 2 } t && ReferenceEquals(t[0], GlobalAtoms.Insert) && t[1] is ErlangTuple { Count: 3 } ins && ins[1] is ErlangPid pid)
                InsertName(ins[0], pid, ins[2]);
        }

        foreach (var op in ops)
        {
            if (op is ErlangTuple { Count: 2 } t && ReferenceEquals(t[0], GlobalAtoms.Delete)) DeleteName(t[1]);
        }
    }

    /// <summary>
    /// The resolver (exchange_names): compares the other partition's names with ours. A clash is resolved by
    /// the side with the smaller node name, by calling the method where our holder's pid runs
    /// (<c>global:resolve_it/4</c> by rpc); it runs apart from the server, which goes on meanwhile.
    /// </summary>
    private void StartResolver(ErlangAtom node, ErlangTerm myTag, ErlangTerm hisNames)
    {
        var ours = new Dictionary<ErlangTerm, GlobalName>();
        foreach (var n in Tables.Names()) ours[n.Name] = n;
        var weResolve = SelfAtom.CompareTo(node) < 0;
        _ = Task.Run(async () =>
        {
            var ops = new List<ErlangTerm>();
            var resolved = new List<ErlangTerm>();
            foreach (var entry in ListOf(hisNames))
            {
                if (entry is not ErlangTuple { Count: 3 } e || e[1] is not ErlangPid pid) continue;
                var (name, method) = (e[0], e[2]);
                if (!ours.TryGetValue(name, out var mine))
                {
                    ops.Insert(0, Insert(name, pid, method));
                    continue;
                }

                if (mine.Pid.Equals(pid) || !weResolve) continue;
                var winner = await ResolveClashAsync(mine.Method, name, pid, mine.Pid).ConfigureAwait(false);
                if (winner.Equals(pid))
                {
                    ops.Insert(0, Insert(name, pid, method));
                }
                else if (winner.Equals(mine.Pid))
                {
                    resolved.Insert(0, Insert(name, mine.Pid, mine.Method));
                }
                else
                {
                    var delete = new ErlangTuple(GlobalAtoms.Delete, name);
                    ops.Insert(0, delete);
                    resolved.Insert(0, delete);
                }
            }

            CastToSelf(new ErlangTuple(GlobalAtoms.ExchangeOps, node, myTag, new ErlangList([.. ops]), new ErlangList([.. resolved])));
        });
    }

    private static ErlangTuple Insert(ErlangTerm name, ErlangPid pid, ErlangTerm method) =>
        new(GlobalAtoms.Insert, new ErlangTuple(name, pid, method));

    /// <summary>rpc:call(node(Pid2), global, resolve_it, [Method2, Name, Pid, Pid2]), run here when Pid2 is ours.</summary>
    private async Task<ErlangTerm> ResolveClashAsync(ErlangTerm method, ErlangTerm name, ErlangPid theirs, ErlangPid mine)
    {
        ErlangTerm result;
        if (ReferenceEquals(mine.Node, SelfAtom))
        {
            result = GlobalResolve.ResolveIt(Node, _logger, method, name, theirs, mine);
        }
        else
        {
            try
            {
                result = await Node.RpcAsync(mine.Node.Name, "global", "resolve_it", [method, name, theirs, mine]).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                GlobalLog.ResolveBadRpc(_logger, e.Reason, name);
                return theirs;
            }
        }

        if (!result.Equals(theirs) && !result.Equals(mine) && !ReferenceEquals(result, GlobalAtoms.None))
            GlobalLog.ResolveReturned(_logger, method, name, result);
        return result;
    }
}
