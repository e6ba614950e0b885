using Beamwire.Terms.Ordering;

namespace Beamwire.Terms;

/// <summary>
/// An Erlang map (MAP_EXT). Keys may be any term (tuples too: OTP's global sends such maps).
/// Entries keep the order they were given or decoded in; the encoder writes them in Erlang's
/// map-key order, which is what OTP 25 writes for maps of up to 32 keys.
/// </summary>
public sealed class ErlangMap : ErlangTerm
{
    // Up to this many entries a linear scan beats hashing.
    private const int LinearLookupLimit = 8;

    private readonly KeyValuePair<ErlangTerm, ErlangTerm>[] _entries;
    private KeyValuePair<ErlangTerm, ErlangTerm>[]? _sorted;
    private Dictionary<ErlangTerm, ErlangTerm>? _index;

    /// <summary>A map of these entries; a key given twice keeps its last value (as <c>#{a => 1, a => 2}</c> does).</summary>
    public ErlangMap(params KeyValuePair<ErlangTerm, ErlangTerm>[] entries) : this((IEnumerable<KeyValuePair<ErlangTerm, ErlangTerm>>)entries)
    {
    }

    /// <summary>A map of these entries; a key given twice keeps its last value.</summary>
    public ErlangMap(IEnumerable<KeyValuePair<ErlangTerm, ErlangTerm>> entries) : base(TermKind.Map)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = new List<KeyValuePair<ErlangTerm, ErlangTerm>>();
        var positions = new Dictionary<ErlangTerm, int>();
        foreach (var (k, v) in entries)
        {
            ArgumentNullException.ThrowIfNull(k, nameof(entries));
            ArgumentNullException.ThrowIfNull(v, nameof(entries));
            if (positions.TryGetValue(k, out int at))
            {
                list[at] = new(k, v);
            }
            else
            {
                positions[k] = list.Count;
                list.Add(new(k, v));
            }
        }

        _entries = list.ToArray();
    }

    // The decoder's constructor: keys are known to be distinct.
    internal ErlangMap(KeyValuePair<ErlangTerm, ErlangTerm>[] entries, bool trusted) : base(TermKind.Map) => _entries = entries;

    /// <summary>The empty map <c>#{}</c>.</summary>
    public static ErlangMap Empty { get; } = new([], trusted: true);

    public int Count => _entries.Length;

    /// <summary>The entries in the order they were given or decoded in.</summary>
    public ReadOnlySpan<KeyValuePair<ErlangTerm, ErlangTerm>> Entries => _entries;

    /// <summary>The entries in Erlang's map-key order (all integers before all floats, then term order).</summary>
    public ReadOnlySpan<KeyValuePair<ErlangTerm, ErlangTerm>> SortedEntries => _sorted ??= Sort(_entries);

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The map has no such key.</exception>
    public ErlangTerm this[ErlangTerm key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The map has no key {key}.");

    public bool ContainsKey(ErlangTerm key) => TryGetValue(key, out _);

    public bool TryGetValue(ErlangTerm key, out ErlangTerm value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_entries.Length <= LinearLookupLimit)
        {
            foreach (var (k, v) in _entries)
            {
                if (TermEquality.AreEqual(k, key))
                {
                    value = v;
                    return true;
                }
            }

            value = null!;
            return false;
        }

        return (_index ??= BuildIndex(_entries)).TryGetValue(key, out value!);
    }

    /// <summary>True when some key appears twice (a decoder must refuse such a map).</summary>
    internal static bool HasDuplicateKeys(KeyValuePair<ErlangTerm, ErlangTerm>[] entries)
    {
        if (entries.Length <= LinearLookupLimit)
        {
            for (int i = 1; i < entries.Length; i++)
                for (int j = 0; j < i; j++)
                    if (TermEquality.AreEqual(entries[i].Key, entries[j].Key)) return true;
            return false;
        }

        var seen = new HashSet<ErlangTerm>(entries.Length);
        foreach (var e in entries)
            if (!seen.Add(e.Key)) return true;
        return false;
    }

    private static Dictionary<ErlangTerm, ErlangTerm> BuildIndex(KeyValuePair<ErlangTerm, ErlangTerm>[] entries)
    {
        var index = new Dictionary<ErlangTerm, ErlangTerm>(entries.Length);
        foreach (var (k, v) in entries) index[k] = v;
        return index;
    }

    private static KeyValuePair<ErlangTerm, ErlangTerm>[] Sort(KeyValuePair<ErlangTerm, ErlangTerm>[] entries)
    {
        // Decoded maps from OTP 25 arrive sorted: keep the same array then.
        for (int i = 1; i < entries.Length; i++)
        {
            if (TermOrder.CompareMapKeys(entries[i - 1].Key, entries[i].Key) > 0)
            {
                var copy = (KeyValuePair<ErlangTerm, ErlangTerm>[])entries.Clone();
                Array.Sort(copy, static (a, b) => TermOrder.CompareMapKeys(a.Key, b.Key));
                return copy;
            }
        }

        return entries;
    }
}
