using Beamwire.Terms;

namespace Beamwire.Node.Groups;

/// <summary>
/// The membership view of one pg scope, as pg keeps it in its ETS table: for every non-empty group,
/// all its members (on any node) and the local ones. A pid joined twice is listed twice. Lists are
/// replaced, never changed in place, so a reader can hold one without a lock. Not thread-safe: the
/// scope serialises every change.
/// </summary>
internal sealed class PgGroups
{
    private readonly Dictionary<ErlangTerm, Entry> _groups = new();

    public IReadOnlyList<ErlangPid> Members(ErlangTerm group) => _groups.TryGetValue(group, out var e) ? e.All : [];

    public IReadOnlyList<ErlangPid> LocalMembers(ErlangTerm group) => _groups.TryGetValue(group, out var e) ? e.Local : [];

    public IReadOnlyList<ErlangTerm> Groups() => _groups.Keys.ToArray();

    public IReadOnlyList<ErlangTerm> LocalGroups() => _groups.Where(g => g.Value.Local.Length > 0).Select(g => g.Key).ToArray();

    public IReadOnlyDictionary<ErlangTerm, IReadOnlyList<ErlangPid>> Snapshot() =>
        _groups.ToDictionary(g => g.Key, g => (IReadOnlyList<ErlangPid>)g.Value.All);

    /// <summary>Adds <paramref name="pids"/> to the group (and to its local members when <paramref name="local"/>).</summary>
    public void Add(ErlangTerm group, IReadOnlyList<ErlangPid> pids, bool local)
    {
        _groups.TryGetValue(group, out var e);
        var all = Prepend(pids, e?.All ?? []);
        var mine = local ? Prepend(pids, e?.Local ?? []) : e?.Local ?? [];
        _groups[group] = new Entry(all, mine);
    }

    /// <summary>Removes one occurrence of each of <paramref name="pids"/>; an emptied group disappears.</summary>
    public void Remove(ErlangTerm group, IReadOnlyList<ErlangPid> pids)
    {
        if (!_groups.TryGetValue(group, out var e)) return;
        var all = Subtract(e.All, pids);
        if (all.Length == 0)
        {
            _groups.Remove(group);
            return;
        }

        _groups[group] = new Entry(all, Subtract(e.Local, pids));
    }

    private static ErlangPid[] Prepend(IReadOnlyList<ErlangPid> pids, ErlangPid[] to)
    {
        var result = new ErlangPid[pids.Count + to.Length];
        for (var i = 0; i < pids.Count; i++) result[i] = pids[i];
        to.CopyTo(result, pids.Count);
        return result;
    }

    /// <summary>Erlang's <c>--</c>: each element of <paramref name="remove"/> takes away one occurrence.</summary>
    internal static ErlangPid[] Subtract(IReadOnlyList<ErlangPid> from, IReadOnlyList<ErlangPid> remove)
    {
        var left = from.ToList();
        foreach (var pid in remove) left.Remove(pid);
        return [.. left];
    }

    private sealed record Entry(ErlangPid[] All, ErlangPid[] Local);
}
