using System.Numerics;

namespace Beamwire.Terms;

/// <summary>An Erlang integer that fits in 64 bits (encoded as SMALL_INTEGER, INTEGER or an 8-byte SMALL_BIG).</summary>
public sealed class ErlangInteger : ErlangTerm
{
    private const int CacheMin = -256;
    private const int CacheMax = 1024;

    // Small integers are everywhere in messages (arities, counters, ops): share them so decoding
    // them allocates nothing.
    private static readonly ErlangInteger[] Cache = CreateCache();

    public ErlangInteger(long value) : base(TermKind.Integer) => Value = value;

    public long Value { get; }

    /// <summary>The shared instance for small values, a new one otherwise.</summary>
    public static ErlangInteger Create(long value) =>
        value is >= CacheMin and <= CacheMax ? Cache[value - CacheMin] : new ErlangInteger(value);

    /// <summary>An <see cref="ErlangInteger"/> when the value fits in 64 bits, else an <see cref="ErlangBigInteger"/>.</summary>
    public static ErlangTerm Create(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? Create((long)value) : new ErlangBigInteger(value);

    private static ErlangInteger[] CreateCache()
    {
        var cache = new ErlangInteger[CacheMax - CacheMin + 1];
        for (int i = 0; i < cache.Length; i++) cache[i] = new ErlangInteger(i + CacheMin);
        return cache;
    }
}
