using System.Runtime.CompilerServices;
using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>An <c>fn</c>/<c>fun</c> made at the prompt: its clauses and the variables it closed over.</summary>
internal sealed record Closure(FnExpr Fn, IReadOnlyDictionary<string, ErlangTerm> Captured, Dialect Dialect)
{
    public int Arity => Fn.Clauses[0].Params.Count;
}

/// <summary>
/// Shell functions as terms: each is an <see cref="ErlangFun"/> of module <c>erl_eval</c> (what iex
/// and erl print for theirs, <c>#Function&lt;…/1 in :erl_eval&gt;</c>) that this table maps back to
/// its <see cref="Closure"/>. The table holds its entries weakly, so a function no value refers to goes.
/// Such a fun runs only in this shell: it has no code another node could run.
/// </summary>
internal sealed class Closures(Func<ErlangPid> shellPid)
{
    private static readonly ErlangAtom ErlEval = ErlangAtom.Get("erl_eval");
    private readonly ConditionalWeakTable<ErlangFun, Closure> _table = new();
    private uint _next;

    public ErlangFun Make(Closure closure)
    {
        var index = ++_next;
        var fun = new ErlangFun((byte)closure.Arity, new byte[16], index, ErlEval, ErlangInteger.Create(index), ErlangInteger.Create(0), shellPid(), []);
        _table.Add(fun, closure);
        return fun;
    }

    public bool TryGet(ErlangTerm value, out Closure closure)
    {
        closure = null!;
        return value is ErlangFun fun && _table.TryGetValue(fun, out closure!);
    }

    public bool IsClosure(ErlangTerm value) => value is ErlangFun fun && _table.TryGetValue(fun, out _);
}
