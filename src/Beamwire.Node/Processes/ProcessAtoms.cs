using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>The atoms and message shapes of Erlang's process signals, built once.</summary>
internal static class ProcessAtoms
{
    public static readonly ErlangAtom Exit = ErlangAtom.Get("EXIT");
    public static readonly ErlangAtom Down = ErlangAtom.Get("DOWN");
    public static readonly ErlangAtom Process = ErlangAtom.Get("process");
    public static readonly ErlangAtom NodeDown = ErlangAtom.Get("nodedown");
    public static readonly ErlangAtom NodeUp = ErlangAtom.Get("nodeup");
    public static readonly ErlangAtom SpawnReply = ErlangAtom.Get("spawn_reply");
    public static readonly ErlangAtom Undef = ErlangAtom.Get("undef");
    public static readonly ErlangAtom DotnetException = ErlangAtom.Get("dotnet_exception");

    /// <summary><c>{'EXIT', From, Reason}</c>: an exit signal turned into a message (trap_exit).</summary>
    public static ErlangTuple ExitMessage(ErlangPid from, ErlangTerm reason) => new(Exit, from, reason);

    /// <summary><c>{'DOWN', Ref, process, Item, Reason}</c>; Item is the pid or <c>{Name, Node}</c> that was monitored.</summary>
    public static ErlangTuple DownMessage(ErlangReference monitor, ErlangTerm item, ErlangTerm reason) =>
        new(Down, monitor, Process, item, reason);

    /// <summary>True for <c>{'DOWN', Ref, _, _, _}</c> with this reference (demonitor's flush).</summary>
    public static bool IsDownFor(ErlangTerm message, ErlangReference monitor) =>
        message is ErlangTuple { Count: 5 } t && ReferenceEquals(t[0], Down) && t[1].Equals(monitor);

    /// <summary>
    /// The exit reason of a process whose .NET code threw: <c>{dotnet_exception, 'Type.Name', &lt;&lt;"message"&gt;&gt;}</c>,
    /// or the reason a <see cref="ProcessExitException"/> carries (<c>exit(Reason)</c>).
    /// </summary>
    public static ErlangTerm ReasonOf(Exception exception) => exception switch
    {
        ProcessExitException exit => exit.Reason,
        AggregateException { InnerExceptions.Count: 1 } agg => ReasonOf(agg.InnerExceptions[0]),
        _ => new ErlangTuple(DotnetException, ErlangAtom.Get(exception.GetType().FullName ?? exception.GetType().Name), ErlangBinary.FromUtf8(exception.Message)),
    };

    /// <summary>The <c>{undef, [{M, F, Args, []}]}</c> reason of calling a function nobody registered.</summary>
    public static ErlangTuple UndefReason(ErlangAtom module, ErlangAtom function, ErlangTerm args) =>
        new(Undef, new ErlangList(new ErlangTuple(module, function, args, ErlangList.Nil)));

    /// <summary>A proper list's elements (also for the STRING_EXT encoding of small-integer lists); null if not a proper list.</summary>
    public static ErlangTerm[]? ListElements(ErlangTerm term) => term switch
    {
        ErlangList { IsProper: true } list => list.Elements.ToArray(),
        ErlangString s => s.ToList().Elements.ToArray(),
        _ => null,
    };
}
