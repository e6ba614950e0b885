using System.Collections.Concurrent;
using System.Text;

namespace Beamwire.Terms;

/// <summary>
/// An Erlang atom: a UTF-8 name of at most 255 characters. Atoms are interned, so the same name
/// gives the same instance and decoding a known atom allocates nothing. Like the BEAM's atom table,
/// the intern table is bounded (<see cref="MaxInterned"/>); past that, new atoms are still correct
/// terms (equality compares names) but are no longer shared — untrusted input cannot grow memory
/// without limit.
/// </summary>
public sealed class ErlangAtom : ErlangTerm
{
    /// <summary>Most characters an atom name may have (Erlang's limit).</summary>
    public const int MaxLength = 255;

    /// <summary>How many atoms the intern table keeps (the BEAM's default atom table size).</summary>
    public const int MaxInterned = 1_048_576;

    private const int RecentSlots = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly ConcurrentDictionary<string, ErlangAtom> Table = new(StringComparer.Ordinal);
    private static int _interned;

    // A direct-mapped cache from UTF-8 bytes to atoms: the decoder finds known atoms here without
    // building a string. A slot holds any atom whose bytes hash there; a miss falls back to Table.
    private static readonly ErlangAtom?[] Recent = new ErlangAtom?[RecentSlots];

    private readonly byte[] _utf8;
    private readonly int _hash;

    private ErlangAtom(string name, byte[] utf8) : base(TermKind.Atom)
    {
        Name = name;
        _utf8 = utf8;
        _hash = StringComparer.Ordinal.GetHashCode(name);
    }

    public static ErlangAtom True { get; } = Get("true");
    public static ErlangAtom False { get; } = Get("false");
    public static ErlangAtom Ok { get; } = Get("ok");
    public static ErlangAtom Error { get; } = Get("error");
    public static ErlangAtom Undefined { get; } = Get("undefined");
    /// <summary>The atom <c>nil</c> (Elixir's <c>nil</c>); the empty list is <see cref="ErlangList.Nil"/>.</summary>
    public static ErlangAtom Nil { get; } = Get("nil");
    public static ErlangAtom Normal { get; } = Get("normal");
    public static ErlangAtom Shutdown { get; } = Get("shutdown");
    public static ErlangAtom Kill { get; } = Get("kill");
    public static ErlangAtom Killed { get; } = Get("killed");
    public static ErlangAtom NoProc { get; } = Get("noproc");
    public static ErlangAtom NoConnection { get; } = Get("noconnection");
    public static ErlangAtom Infinity { get; } = Get("infinity");
    public static ErlangAtom Yes { get; } = Get("yes");
    public static ErlangAtom No { get; } = Get("no");
    public static ErlangAtom Badarg { get; } = Get("badarg");
    public static ErlangAtom Timeout { get; } = Get("timeout");
    /// <summary>The node name of a node that is not distributed: <c>nonode@nohost</c>.</summary>
    public static ErlangAtom NoNode { get; } = Get("nonode@nohost");

    /// <summary>The atom's name.</summary>
    public string Name { get; }

    /// <summary>The name as UTF-8 (what ATOM_UTF8_EXT carries).</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8;

    internal byte[] Utf8Array => _utf8;

    internal int HashCode => _hash;

    /// <summary>The atom with this name.</summary>
    /// <exception cref="ArgumentException">The name is longer than 255 characters or is not valid Unicode.</exception>
    public static ErlangAtom Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Table.TryGetValue(name, out var atom)) return atom;
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(name);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("An atom name must be valid Unicode (it has an unpaired surrogate).", nameof(name), e);
        }

        if (CountCharacters(name) > MaxLength)
            throw new ArgumentException($"An atom name has at most {MaxLength} characters; this one has {CountCharacters(name)}.", nameof(name));
        return Intern(name, utf8);
    }

    /// <summary>The atom whose name has these UTF-8 bytes.</summary>
    /// <exception cref="ArgumentException">The bytes are not UTF-8 or name more than 255 characters.</exception>
    public static ErlangAtom Get(ReadOnlySpan<byte> utf8)
    {
        if (TryGetExisting(utf8, out var atom)) return atom;
        string name;
        try
        {
            name = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new ArgumentException("An atom name must be UTF-8.", nameof(utf8), e);
        }

        if (CountCharacters(name) > MaxLength)
            throw new ArgumentException($"An atom name has at most {MaxLength} characters; this one has {CountCharacters(name)}.", nameof(utf8));
        var result = Intern(name, utf8.ToArray());
        Recent[Slot(utf8)] = result;
        return result;
    }

    /// <summary>Finds an atom that already exists, without creating one (what <c>binary_to_existing_atom</c> does).</summary>
    public static bool TryGetExisting(ReadOnlySpan<byte> utf8, out ErlangAtom atom)
    {
        int slot = Slot(utf8);
        var recent = Recent[slot];
        if (recent is not null && utf8.SequenceEqual(recent._utf8))
        {
            atom = recent;
            return true;
        }

        // Names are looked up without allocating a string. No atom has more than 255 code points,
        // so more than 1020 bytes can name none.
        if (utf8.Length > MaxLength * 4)
        {
            atom = null!;
            return false;
        }

        Span<char> chars = stackalloc char[MaxLength * 4];
        if (System.Text.Unicode.Utf8.ToUtf16(utf8, chars, out _, out int written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done
            && Table.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..written], out var found))
        {
            Recent[slot] = found;
            atom = found;
            return true;
        }

        atom = null!;
        return false;
    }

    /// <summary>Finds an atom that already exists, without creating one.</summary>
    public static bool TryGetExisting(string name, out ErlangAtom atom)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Table.TryGetValue(name, out var found))
        {
            atom = found;
            return true;
        }

        atom = null!;
        return false;
    }

    private static ErlangAtom Intern(string name, byte[] utf8)
    {
        if (Table.TryGetValue(name, out var existing)) return existing;
        var atom = new ErlangAtom(name, utf8);
        if (Volatile.Read(ref _interned) >= MaxInterned) return atom;
        if (Table.TryAdd(name, atom))
        {
            Interlocked.Increment(ref _interned);
            return atom;
        }

        return Table[name];
    }

    private static int Slot(ReadOnlySpan<byte> utf8)
    {
        // FNV-1a: cheap for the short names atoms have.
        uint h = 2166136261;
        foreach (byte b in utf8) h = (h ^ b) * 16777619;
        return (int)(h & (RecentSlots - 1));
    }

    private static int CountCharacters(string name)
    {
        // Characters are code points: a surrogate pair counts once.
        int count = name.Length;
        foreach (char c in name)
            if (char.IsLowSurrogate(c)) count--;
        return count;
    }
}
