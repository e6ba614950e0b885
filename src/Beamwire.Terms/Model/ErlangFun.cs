namespace Beamwire.Terms;

/// <summary>
/// A local fun (NEW_FUN_EXT). .NET cannot run it, so it is kept opaque: every field is kept and it
/// encodes back to the bytes it came from, so a fun passes through a .NET node unchanged.
/// </summary>
public sealed class ErlangFun : ErlangTerm
{
    private readonly byte[] _uniq;
    private readonly ErlangTerm[] _freeVars;

    internal ErlangFun(byte arity, byte[] uniq, uint index, ErlangAtom module, ErlangTerm oldIndex, ErlangTerm oldUniq, ErlangTerm pid, ErlangTerm[] freeVars)
        : base(TermKind.Fun)
    {
        Arity = arity;
        _uniq = uniq;
        Index = index;
        Module = module;
        OldIndex = oldIndex;
        OldUniq = oldUniq;
        Pid = pid;
        _freeVars = freeVars;
    }

    public int Arity { get; }

    /// <summary>The 16-byte MD5 of the defining module's code.</summary>
    public ReadOnlySpan<byte> Uniq => _uniq;

    public uint Index { get; }

    public ErlangAtom Module { get; }

    public ErlangTerm OldIndex { get; }

    public ErlangTerm OldUniq { get; }

    /// <summary>The process that created the fun.</summary>
    public ErlangTerm Pid { get; }

    /// <summary>The values the fun closed over.</summary>
    public ReadOnlySpan<ErlangTerm> FreeVars => _freeVars;

    internal byte[] UniqArray => _uniq;

    internal ErlangTerm[] FreeVarArray => _freeVars;
}
