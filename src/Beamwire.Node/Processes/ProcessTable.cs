using System.Collections.Concurrent;
using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>
/// The node's local processes: pid allocation, lookup by pid, registered names (<c>register/2</c>) and
/// process aliases, and unique references (<c>make_ref/0</c>).
/// </summary>
internal sealed class ProcessTable
{
    // Many lock stripes: spawn and exit add and remove here from every scheduler thread at once.
    private readonly ConcurrentDictionary<uint, IProcess> _byId = new(Environment.ProcessorCount * 16, 4096);
    private readonly ConcurrentDictionary<ErlangAtom, IProcess> _names = new();
    private readonly ConcurrentDictionary<IProcess, ErlangAtom> _nameOf = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<ErlangReference, IProcess> _aliases = new();
    private readonly object _registerGate = new();
    private long _nextId = 100; // leave the low ids to look like system processes in Erlang shells
    private long _nextRef;

    public ProcessTable(ErlangAtom node, uint creation)
    {
        Node = node;
        Creation = creation;
        _nextRef = Random.Shared.NextInt64(1, int.MaxValue);
    }

    public ErlangAtom Node { get; }

    public uint Creation { get; }

    public int Count => _byId.Count;

    /// <summary>A fresh pid. Ids are 32-bit (V4_NC peers accept the full range); the serial counts wraps.</summary>
    public ErlangPid NewPid()
    {
        while (true)
        {
            var n = (ulong)Interlocked.Increment(ref _nextId);
            var id = (uint)n;
            if (id == 0 || _byId.ContainsKey(id)) continue;
            return new ErlangPid(Node, id, (uint)(n >> 32), Creation);
        }
    }

    /// <summary>A reference unique to this node incarnation (3 words, like make_ref/0).</summary>
    public ErlangReference NewReference()
    {
        var n = (ulong)Interlocked.Increment(ref _nextRef);
        return new ErlangReference(Node, Creation, [(uint)n & 0x3FFFF, (uint)(n >> 18), (uint)(n >> 50)]);
    }

    public void Add(IProcess process) => _byId[process.Pid.Id] = process;

    public void Remove(IProcess process)
    {
        _byId.TryRemove(new KeyValuePair<uint, IProcess>(process.Pid.Id, process));
        Unregister(process);
        // Aliases are removed by their process (it knows them); scanning every alias here would make exit O(aliases).
    }

    /// <summary>The local process for a pid of this node incarnation, or null (a dead or foreign pid).</summary>
    public IProcess? Lookup(ErlangPid pid)
    {
        if (!ReferenceEquals(pid.Node, Node) || pid.Creation != Creation) return null;
        return _byId.TryGetValue(pid.Id, out var p) && p.Pid.Serial == pid.Serial ? p : null;
    }

    /// <summary>register/2: false when the name is taken or the process already has a name.</summary>
    public bool Register(ErlangAtom name, IProcess process)
    {
        lock (_registerGate)
        {
            if (_names.ContainsKey(name) || _nameOf.ContainsKey(process)) return false;
            _names[name] = process;
            _nameOf[process] = name;
            return true;
        }
    }

    public void Unregister(IProcess process)
    {
        if (!_nameOf.ContainsKey(process)) return; // the common case at exit: no lock
        lock (_registerGate)
        {
            if (_nameOf.TryRemove(process, out var name)) _names.TryRemove(name, out _);
        }
    }

    /// <summary>unregister/1: false when nothing is registered under the name.</summary>
    public bool Unregister(ErlangAtom name)
    {
        lock (_registerGate)
        {
            if (!_names.TryRemove(name, out var process)) return false;
            _nameOf.TryRemove(process, out _);
            return true;
        }
    }

    /// <summary>Every local process (processes/0).</summary>
    public IReadOnlyList<IProcess> All => _byId.Values.ToList();

    public IProcess? Whereis(ErlangAtom name) => _names.TryGetValue(name, out var p) ? p : null;

    public ErlangAtom? NameOf(IProcess process) => _nameOf.TryGetValue(process, out var n) ? n : null;

    public IReadOnlyCollection<ErlangAtom> RegisteredNames => _names.Keys.ToList();

    public void AddAlias(ErlangReference alias, IProcess process) => _aliases[alias] = process;

    public void RemoveAlias(ErlangReference alias) => _aliases.TryRemove(alias, out _);

    public IProcess? LookupAlias(ErlangReference alias) => _aliases.TryGetValue(alias, out var p) ? p : null;
}
