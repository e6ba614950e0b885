namespace Beamwire.Terms;

/// <summary>
/// Limits and choices for <see cref="TermDecoder"/>. The defaults suit untrusted network input:
/// every limit is enforced before any memory is allocated for what the input claims.
/// </summary>
public sealed class TermDecoderOptions
{
    /// <summary>The defaults (shared; do not change it).</summary>
    public static TermDecoderOptions Default { get; } = new();

    /// <summary>How deep tuples, lists, maps and funs may nest (default 1000).</summary>
    public int MaxDepth { get; init; } = 1000;

    /// <summary>
    /// The most bytes one term may take, counting the decompressed size of a compressed term
    /// (default 256 MiB). A term claiming more is refused before anything is allocated for it.
    /// </summary>
    public int MaxTotalSize { get; init; } = 256 * 1024 * 1024;

    /// <summary>
    /// The most atoms one decode may create that did not exist before (default 10,000). Atoms
    /// already known cost nothing. 0 is Erlang's <c>binary_to_term(B, [safe])</c>: unknown atoms are refused.
    /// </summary>
    public int MaxAtoms { get; init; } = 10_000;

    /// <summary>Whether COMPRESSED (zlib) terms are accepted (default true).</summary>
    public bool AllowCompressed { get; init; } = true;

    /// <summary>
    /// Binaries of at least this many bytes are slices of the input instead of copies, when the input
    /// is memory (<see cref="TermDecoder.Decode(ReadOnlyMemory{byte}, TermDecoderOptions?)"/>); default 64.
    /// <para>Ownership rule: such a binary shares the caller's memory, so the caller must keep that memory
    /// alive and unchanged for as long as the decoded terms are used. Inputs that are spans or
    /// <see cref="System.Buffers.ReadOnlySequence{T}"/> (pipe buffers are recycled after <c>AdvanceTo</c>) are
    /// always copied. Set <see cref="int.MaxValue"/> to copy everything.</para>
    /// </summary>
    public int BinarySliceThreshold { get; init; } = 64;
}
