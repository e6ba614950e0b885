using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Beamwire.Epmd.Protocol;

namespace Beamwire.Epmd.Daemon;

/// <summary>
/// The daemon's names, with epmd's bookkeeping: live registrations (listed newest first, as epmd
/// links new nodes at the head), and a FIFO of old names so that registering a name again gives it
/// the next creation. Writers take a lock; lookups and NAMES read an immutable snapshot without one.
/// </summary>
internal sealed class NodeTable
{
    private readonly Lock _gate = new();
    private readonly List<RegisteredNode> _live = new();            // oldest first
    private readonly LinkedList<RegisteredNode> _unregistered = new(); // oldest first
    private readonly int _maxUnregistered;
    private readonly Func<uint> _clock;
    private Snapshot _snapshot;
    private int _epmdPort;

    public NodeTable(int maxUnregistered, Func<uint>? clock = null)
    {
        _maxUnregistered = maxUnregistered;
        _clock = clock ?? (() => (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        _snapshot = BuildSnapshot();
    }

    /// <summary>The port NAMES and DUMP report (set once the listeners are bound).</summary>
    public int EpmdPort
    {
        get => _epmdPort;
        set
        {
            lock (_gate)
            {
                _epmdPort = value;
                Publish();
            }
        }
    }

    public int Count => Volatile.Read(ref _snapshot).Live.Length;

    /// <summary>The complete NAMES reply (port + lines), rebuilt on every change.</summary>
    public byte[] NamesReply => Volatile.Read(ref _snapshot).NamesReply;

    public RegisteredNode? Find(ReadOnlySpan<byte> name) =>
        Volatile.Read(ref _snapshot).ByName.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(name, out var node) ? node : null;

    public IReadOnlyList<EpmdName> Names() =>
        Array.ConvertAll(Volatile.Read(ref _snapshot).Live, n => new EpmdName(Encoding.UTF8.GetString(n.Name), n.Port));

    /// <summary>
    /// Registers a node (epmd's node_reg2). Null with a reason when refused: name too long or not
    /// UTF-8, extra too long, or the name is live already.
    /// </summary>
    public RegisteredNode? Register(in Alive2Request request, IConnectionHandle owner, out string? refusal)
    {
        if (request.Name.Length > EpmdCodes.MaxNameBytes)
        {
            refusal = $"node name is too long ({request.Name.Length})";
            return null;
        }

        var chars = NameCheck.CountCodePoints(request.Name);
        if (chars > EpmdCodes.MaxNameChars)
        {
            refusal = $"node name is too long ({request.Name.Length})";
            return null;
        }

        if (chars < 0)
        {
            refusal = "invalid node name encoding";
            return null;
        }

        if (request.Extra.Length > EpmdCodes.MaxNameBytes)
        {
            refusal = $"extra data is too long ({request.Extra.Length})";
            return null;
        }

        lock (_gate)
        {
            if (_snapshot.ByName.GetAlternateLookup<ReadOnlySpan<byte>>().ContainsKey(request.Name))
            {
                refusal = "node name already occupied " + Show(request.Name);
                return null;
            }

            var node = TakeSlot(request.Name);
            node.Fill(request, owner);
            _live.Add(node);
            Publish();
            refusal = null;
            return node;
        }
    }

    /// <summary>Drops the registration made on <paramref name="owner"/>, if any (its socket closed).</summary>
    public RegisteredNode? UnregisterOwner(IConnectionHandle owner)
    {
        lock (_gate)
        {
            for (var i = 0; i < _live.Count; i++)
            {
                if (ReferenceEquals(_live[i].Owner, owner))
                {
                    var node = Retire(i);
                    node.Owner = null;
                    return node;
                }
            }

            return null;
        }
    }

    /// <summary>Drops a registration by name (STOP_REQ); the caller closes its <see cref="RegisteredNode.Owner"/>.</summary>
    public RegisteredNode? UnregisterName(ReadOnlySpan<byte> name)
    {
        lock (_gate)
        {
            for (var i = 0; i < _live.Count; i++)
                if (name.SequenceEqual(_live[i].Name))
                    return Retire(i);
            return null;
        }
    }

    /// <summary>The DUMP reply: port, live names newest first, then old names oldest first; every line ends with NUL.</summary>
    public byte[] DumpReply()
    {
        lock (_gate)
        {
            var text = new StringBuilder();
            for (var i = _live.Count - 1; i >= 0; i--)
            {
                var n = _live[i];
                text.Append(CultureInfo.InvariantCulture, $"active name     <{Encoding.UTF8.GetString(n.Name)}> at port {n.Port}, fd = {n.Fd}\n\0");
            }

            foreach (var n in _unregistered)
                text.Append(CultureInfo.InvariantCulture, $"old/unused name <{Encoding.UTF8.GetString(n.Name)}>, port = {n.Port}, fd = {n.Fd} \n\0");
            return WithPort(_epmdPort, Encoding.UTF8.GetBytes(text.ToString()));
        }
    }

    // A name seen before reuses its old slot with the next creation; a new name gets a fresh slot
    // seeded from the clock, or steals the oldest remembered one (keeping its counter) when the
    // memory is full — all as epmd does.
    private RegisteredNode TakeSlot(ReadOnlySpan<byte> name)
    {
        for (var old = _unregistered.First; old is not null; old = old.Next)
        {
            if (name.SequenceEqual(old.Value.Name))
            {
                _unregistered.Remove(old);
                old.Value.BumpCounter();
                return old.Value;
            }
        }

        RegisteredNode node;
        if (_unregistered.Count > _maxUnregistered)
        {
            var stolen = _unregistered.First!.Value;
            _unregistered.RemoveFirst();
            node = new RegisteredNode(name.ToArray()) { Counter = stolen.Counter };
        }
        else
        {
            node = new RegisteredNode(name.ToArray()) { Counter = _clock() };
            node.BumpCounter();
        }

        return node;
    }

    private RegisteredNode Retire(int index)
    {
        var node = _live[index];
        _live.RemoveAt(index);
        _unregistered.AddLast(node);
        Publish();
        return node;
    }

    private void Publish() => Volatile.Write(ref _snapshot, BuildSnapshot());

    private Snapshot BuildSnapshot()
    {
        var live = new RegisteredNode[_live.Count];
        var byName = new Dictionary<byte[], RegisteredNode>(_live.Count, ByteKeyComparer.Instance);
        var text = new StringBuilder();
        for (var i = 0; i < live.Length; i++)
        {
            var n = _live[_live.Count - 1 - i];
            live[i] = n;
            byName[n.Name] = n;
            text.Append(CultureInfo.InvariantCulture, $"name {Encoding.UTF8.GetString(n.Name)} at port {n.Port}\n");
        }

        return new Snapshot(byName, live, WithPort(_epmdPort, Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static byte[] WithPort(int port, byte[] text)
    {
        var reply = new byte[4 + text.Length];
        BinaryPrimitives.WriteInt32BigEndian(reply, port);
        text.CopyTo(reply, 4);
        return reply;
    }

    internal static string Show(ReadOnlySpan<byte> name) => Encoding.UTF8.GetString(name);

    private sealed record Snapshot(Dictionary<byte[], RegisteredNode> ByName, RegisteredNode[] Live, byte[] NamesReply);
}
