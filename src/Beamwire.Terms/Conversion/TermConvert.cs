using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Beamwire.Terms;

/// <summary>
/// Conversions between terms and plain .NET values where the mapping is unambiguous: integers,
/// floats, booleans (the atoms <c>true</c>/<c>false</c>), strings, byte arrays, lists, tuples and
/// dictionaries. Where it is not, a <see cref="TermConversionException"/> says which explicit method to use.
/// <para>Strings: a .NET string becomes a UTF-8 binary (an Elixir string, what most APIs expect);
/// use <see cref="ToCharlist"/> for an Erlang list of code points. Back, a binary (UTF-8), a charlist
/// and <c>[]</c> all read as strings; an atom does not (use <see cref="ErlangAtom.Name"/>).</para>
/// </summary>
public static class TermConvert
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>The term for a .NET value: numbers, bool, string (UTF-8 binary), byte arrays, ITuple (tuple), IDictionary (map), IEnumerable (list), or a term itself.</summary>
    /// <exception cref="TermConversionException">null, decimal, char and other types have no single Erlang form.</exception>
    public static ErlangTerm FromObject(object? value) => value switch
    {
        null => throw new TermConversionException("null has no single Erlang form: use ErlangAtom.Undefined (Erlang) or ErlangAtom.Nil (Elixir)."),
        ErlangTerm t => t,
        bool b => b ? ErlangAtom.True : ErlangAtom.False,
        int i => ErlangInteger.Create(i),
        long l => ErlangInteger.Create(l),
        short s => ErlangInteger.Create(s),
        sbyte s => ErlangInteger.Create(s),
        byte b => ErlangInteger.Create(b),
        ushort u => ErlangInteger.Create(u),
        uint u => ErlangInteger.Create(u),
        ulong u => ErlangInteger.Create(new BigInteger(u)),
        BigInteger big => ErlangInteger.Create(big),
        double d => FromDouble(d),
        float f => FromDouble(f),
        string s => ErlangBinary.FromUtf8(s),
        byte[] bytes => new ErlangBinary(bytes.ToArray()),
        ReadOnlyMemory<byte> memory => new ErlangBinary(memory.ToArray()),
        Memory<byte> memory => new ErlangBinary(memory.ToArray()),
        decimal => throw new TermConversionException("A decimal has no exact Erlang form: convert it to double or to an integer first."),
        char => throw new TermConversionException("A char is ambiguous (an integer code point or a one-character string): convert it to int or string first."),
        ITuple tuple => FromTuple(tuple),
        IDictionary dictionary => FromDictionary(dictionary),
        IEnumerable sequence => FromSequence(sequence),
        _ => throw new TermConversionException($"A {value.GetType()} has no Erlang form; build an ErlangTerm for it."),
    };

    /// <summary>The Erlang string (a list of code points) for <paramref name="text"/>; <c>[]</c> for "".</summary>
    public static ErlangTerm ToCharlist(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return ErlangList.Nil;
        bool latin1 = true;
        foreach (char c in text) latin1 &= c <= 0xFF;
        if (latin1) return new ErlangString(text);
        var items = new List<ErlangTerm>(text.Length);
        foreach (var rune in text.EnumerateRunes()) items.Add(ErlangInteger.Create(rune.Value));
        return new ErlangList(items.ToArray());
    }

    /// <summary>A proper list of the converted items.</summary>
    public static ErlangList FromList<T>(IEnumerable<T> items, Func<T, ErlangTerm> convert)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(convert);
        var array = items.Select(convert).ToArray();
        return array.Length == 0 ? ErlangList.Nil : new ErlangList(array);
    }

    /// <summary>A map of the converted entries.</summary>
    public static ErlangMap FromDictionary<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>> entries, Func<TKey, ErlangTerm> key, Func<TValue, ErlangTerm> value)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new ErlangMap(entries.Select(e => new KeyValuePair<ErlangTerm, ErlangTerm>(key(e.Key), value(e.Value))));
    }

    public static int ToInt32(ErlangTerm term)
    {
        long v = ToInt64(term);
        if (v is < int.MinValue or > int.MaxValue) throw new TermConversionException($"{Show(term)} does not fit in an int.");
        return (int)v;
    }

    public static long ToInt64(ErlangTerm term) => term switch
    {
        ErlangInteger i => i.Value,
        ErlangBigInteger b when b.Value >= long.MinValue && b.Value <= long.MaxValue => (long)b.Value,
        ErlangBigInteger => throw new TermConversionException($"{Show(term)} does not fit in a long: use ToBigInteger."),
        _ => throw Expected("an integer", term),
    };

    public static BigInteger ToBigInteger(ErlangTerm term) => term switch
    {
        ErlangInteger i => i.Value,
        ErlangBigInteger b => b.Value,
        _ => throw Expected("an integer", term),
    };

    /// <summary>A float, or an integer that a double holds exactly.</summary>
    public static double ToDouble(ErlangTerm term)
    {
        switch (term)
        {
            case ErlangFloat f:
                return f.Value;
            case ErlangInteger or ErlangBigInteger:
                var big = ToBigInteger(term);
                double d = (double)big;
                if (double.IsFinite(d) && new BigInteger(d) == big) return d;
                throw new TermConversionException($"{Show(term)} has no exact double.");
            default:
                throw Expected("a number", term);
        }
    }

    /// <summary>The atoms <c>true</c> and <c>false</c>.</summary>
    public static bool ToBoolean(ErlangTerm term) => term switch
    {
        ErlangAtom a when ReferenceEquals(a, ErlangAtom.True) || a.Name == "true" => true,
        ErlangAtom a when ReferenceEquals(a, ErlangAtom.False) || a.Name == "false" => false,
        _ => throw Expected("true or false", term),
    };

    /// <summary>Text from a UTF-8 binary, a charlist (list of code points) or <c>[]</c>.</summary>
    public static string ToStringValue(ErlangTerm term)
    {
        switch (term)
        {
            case ErlangBinary b:
                try
                {
                    return StrictUtf8.GetString(b.Bytes.Span);
                }
                catch (DecoderFallbackException e)
                {
                    throw new TermConversionException($"{Show(term)} is not UTF-8 text: use ToBytes.", e);
                }

            case ErlangString s:
                return s.Value;
            case ErlangList { IsNil: true }:
                return "";
            case ErlangList { IsProper: true } l:
                var sb = new StringBuilder(l.Count);
                foreach (var e in l.Elements)
                {
                    if (e is not ErlangInteger { Value: >= 0 and <= 0x10FFFF and (< 0xD800 or > 0xDFFF) } cp)
                        throw new TermConversionException($"{Show(term)} is not a list of code points.");
                    sb.Append(char.ConvertFromUtf32((int)cp.Value));
                }

                return sb.ToString();
            case ErlangAtom:
                throw new TermConversionException($"{Show(term)} is an atom, not text: use ErlangAtom.Name.");
            default:
                throw Expected("a binary or a charlist", term);
        }
    }

    /// <summary>The bytes of a binary (a copy).</summary>
    public static byte[] ToBytes(ErlangTerm term) => term switch
    {
        ErlangBinary b => b.Bytes.ToArray(),
        ErlangBitString => throw new TermConversionException($"{Show(term)} is not a whole number of bytes."),
        _ => throw Expected("a binary", term),
    };

    /// <summary>The elements of a proper list (a charlist gives its integers).</summary>
    public static IReadOnlyList<ErlangTerm> ToList(ErlangTerm term) => term switch
    {
        ErlangList { IsProper: true } l => l.ElementsMemory.ToArray(),
        ErlangString s => s.ToList().ElementsMemory.ToArray(),
        ErlangList => throw new TermConversionException($"{Show(term)} is an improper list."),
        _ => throw Expected("a list", term),
    };

    public static List<T> ToList<T>(ErlangTerm term, Func<ErlangTerm, T> convert)
    {
        ArgumentNullException.ThrowIfNull(convert);
        return ToList(term).Select(convert).ToList();
    }

    /// <summary>The elements of a tuple.</summary>
    public static ErlangTerm[] ToArray(ErlangTuple tuple)
    {
        ArgumentNullException.ThrowIfNull(tuple);
        return tuple.Elements.ToArray();
    }

    public static Dictionary<ErlangTerm, ErlangTerm> ToDictionary(ErlangTerm term)
    {
        if (term is not ErlangMap map) throw Expected("a map", term);
        var result = new Dictionary<ErlangTerm, ErlangTerm>(map.Count);
        foreach (var (k, v) in map.Entries) result[k] = v;
        return result;
    }

    /// <summary>A dictionary of the converted entries; two keys converting to the same .NET key is an error.</summary>
    public static Dictionary<TKey, TValue> ToDictionary<TKey, TValue>(ErlangTerm term, Func<ErlangTerm, TKey> key, Func<ErlangTerm, TValue> value)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (term is not ErlangMap map) throw Expected("a map", term);
        var result = new Dictionary<TKey, TValue>(map.Count);
        foreach (var (k, v) in map.Entries)
        {
            if (!result.TryAdd(key(k), value(v)))
                throw new TermConversionException($"Two keys of {Show(term)} convert to the same .NET key {key(k)}.");
        }

        return result;
    }

    private static ErlangFloat FromDouble(double d) =>
        double.IsFinite(d) ? new ErlangFloat(d) : throw new TermConversionException($"{d} has no Erlang form: Erlang floats are finite.");

    private static ErlangTuple FromTuple(ITuple tuple)
    {
        var items = new ErlangTerm[tuple.Length];
        for (int i = 0; i < items.Length; i++) items[i] = FromObject(tuple[i]);
        return new ErlangTuple(items);
    }

    private static ErlangMap FromDictionary(IDictionary dictionary)
    {
        var entries = new List<KeyValuePair<ErlangTerm, ErlangTerm>>(dictionary.Count);
        foreach (DictionaryEntry e in dictionary) entries.Add(new(FromObject(e.Key), FromObject(e.Value)));
        return entries.Count == 0 ? ErlangMap.Empty : new ErlangMap(entries);
    }

    private static ErlangList FromSequence(IEnumerable sequence)
    {
        var items = new List<ErlangTerm>();
        foreach (var item in sequence) items.Add(FromObject(item));
        return items.Count == 0 ? ErlangList.Nil : new ErlangList(items.ToArray());
    }

    private static TermConversionException Expected(string what, ErlangTerm term) =>
        new($"Expected {what}, got {Show(term)}.");

    private static string Show(ErlangTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        string text = term.ToString();
        return text.Length > 100 ? text[..100] + "..." : text;
    }
}
