using System.Buffers;
using Beamwire.Terms.Codec;

namespace Beamwire.Terms;

/// <summary>
/// Decodes the External Term Format (<c>binary_to_term</c>). Bounded by <see cref="TermDecoderOptions"/>;
/// any malformed input throws <see cref="TermDecodeException"/> and nothing else.
/// <para>Binary ownership: decoding from <see cref="ReadOnlyMemory{T}"/> makes binaries of at least
/// <see cref="TermDecoderOptions.BinarySliceThreshold"/> bytes slices of that memory (no copy); keep it alive and
/// unchanged while you use the terms. Decoding from a span or a <see cref="ReadOnlySequence{T}"/> copies every binary.</para>
/// </summary>
public static class TermDecoder
{
    /// <summary>Decodes one whole term (version byte 131 first); trailing bytes are an error. Binaries are copied.</summary>
    public static ErlangTerm Decode(ReadOnlySpan<byte> data, TermDecoderOptions? options = null)
    {
        var term = Decode(data, out int consumed, options);
        EnsureWhole(data.Length, consumed);
        return term;
    }

    /// <summary>Decodes one whole term; binaries of at least <see cref="TermDecoderOptions.BinarySliceThreshold"/> bytes are slices of <paramref name="data"/>.</summary>
    public static ErlangTerm Decode(ReadOnlyMemory<byte> data, TermDecoderOptions? options = null)
    {
        var term = Decode(data, out int consumed, options);
        EnsureWhole(data.Length, consumed);
        return term;
    }

    /// <summary>Decodes one whole term from a possibly multi-segment sequence (e.g. a pipe's buffer). Binaries are copied.</summary>
    public static ErlangTerm Decode(ReadOnlySequence<byte> data, TermDecoderOptions? options = null)
    {
        if (data.IsSingleSegment) return Decode(data.FirstSpan, options);
        options ??= TermDecoderOptions.Default;
        long length = data.Length;
        if (length > options.MaxTotalSize + 1L)
            throw new TermDecodeException($"The input of {length} bytes exceeds MaxTotalSize ({options.MaxTotalSize})", options.MaxTotalSize);
        // The bytes are all here already, so this copy is bounded by the input itself.
        byte[] flat = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            data.CopyTo(flat);
            return Decode(flat.AsSpan(0, (int)length), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(flat);
        }
    }

    /// <summary>
    /// Decodes the term (with its version byte) at the start of <paramref name="data"/> and reports how
    /// many bytes it took, so a distribution frame <c>&lt;131 control&gt;&lt;131 message&gt;</c> is two calls.
    /// ATOM_CACHE_REF atoms resolve through <paramref name="atomCache"/>. Binaries are copied.
    /// A compressed term takes the rest of <paramref name="data"/>.
    /// </summary>
    public static ErlangTerm Decode(ReadOnlySpan<byte> data, out int consumed, TermDecoderOptions? options = null, IAtomCacheResolver? atomCache = null)
    {
        var reader = new TermReader(data, default, canSlice: false, options ?? TermDecoderOptions.Default, atomCache);
        var term = reader.ReadVersionedTerm();
        consumed = reader.Position;
        return term;
    }

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte}, out int, TermDecoderOptions?, IAtomCacheResolver?)"/>, but binaries of at least <see cref="TermDecoderOptions.BinarySliceThreshold"/> bytes are slices of <paramref name="data"/>.</summary>
    public static ErlangTerm Decode(ReadOnlyMemory<byte> data, out int consumed, TermDecoderOptions? options = null, IAtomCacheResolver? atomCache = null)
    {
        var reader = new TermReader(data.Span, data, canSlice: true, options ?? TermDecoderOptions.Default, atomCache);
        var term = reader.ReadVersionedTerm();
        consumed = reader.Position;
        return term;
    }

    /// <summary>Decodes a term that has no version byte (e.g. one embedded in another format). Binaries are copied.</summary>
    public static ErlangTerm DecodeWithoutVersion(ReadOnlySpan<byte> data, out int consumed, TermDecoderOptions? options = null, IAtomCacheResolver? atomCache = null)
    {
        var reader = new TermReader(data, default, canSlice: false, options ?? TermDecoderOptions.Default, atomCache);
        var term = reader.ReadTerm(0);
        consumed = reader.Position;
        return term;
    }

    /// <summary>Like <c>binary_to_term(B, [safe])</c>: refuses to create atoms that do not exist yet.</summary>
    public static ErlangTerm DecodeSafe(ReadOnlySpan<byte> data) => Decode(data, SafeOptions);

    private static readonly TermDecoderOptions SafeOptions = new() { MaxAtoms = 0 };

    private static void EnsureWhole(int length, int consumed)
    {
        if (consumed != length)
            throw new TermDecodeException($"{length - consumed} bytes follow the term", consumed);
    }
}
