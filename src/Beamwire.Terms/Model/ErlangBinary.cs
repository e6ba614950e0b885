using System.Text;

namespace Beamwire.Terms;

/// <summary>
/// An Erlang binary (BINARY_EXT). The bytes may be a slice of a buffer the term was decoded from
/// (see <see cref="TermDecoderOptions.BinarySliceThreshold"/> for who owns that memory).
/// </summary>
public sealed class ErlangBinary : ErlangTerm
{
    public ErlangBinary(ReadOnlyMemory<byte> bytes) : base(TermKind.Binary) => Bytes = bytes;

    /// <summary>The empty binary <c>&lt;&lt;&gt;&gt;</c>.</summary>
    public static ErlangBinary Empty { get; } = new(ReadOnlyMemory<byte>.Empty);

    public ReadOnlyMemory<byte> Bytes { get; }

    public int Length => Bytes.Length;

    /// <summary>A binary holding the UTF-8 encoding of <paramref name="text"/> (an Elixir string).</summary>
    public static ErlangBinary FromUtf8(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? Empty : new ErlangBinary(Encoding.UTF8.GetBytes(text));
    }
}
