namespace Beamwire.Terms;

/// <summary>An external fun <c>fun Module:Function/Arity</c> (EXPORT_EXT).</summary>
public sealed class ErlangExport : ErlangTerm
{
    public ErlangExport(ErlangAtom module, ErlangAtom function, int arity) : base(TermKind.Export)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentOutOfRangeException.ThrowIfNegative(arity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(arity, 255);
        Module = module;
        Function = function;
        Arity = arity;
    }

    public ErlangAtom Module { get; }

    public ErlangAtom Function { get; }

    public int Arity { get; }
}
