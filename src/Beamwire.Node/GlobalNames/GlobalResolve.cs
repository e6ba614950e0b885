using Beamwire.Node.Processes;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.GlobalNames;

/// <summary>
/// global's name conflict methods, run on the node of the pid that held the name
/// (<c>global:resolve_it/4</c>): <c>random_exit_name</c> (the default: the pid on the greater node is killed),
/// <c>random_notify_name</c> (it gets <c>{global_name_conflict, Name}</c>) and <c>notify_all_name</c>
/// (both are told, the name is dropped). A method is <c>fun global:F/3</c>; an Erlang local fun of module
/// global (what <c>global:register_name/2</c> stores) cannot run in .NET and is taken for the default.
/// </summary>
internal static class GlobalResolve
{
    public static ErlangExport Method(GlobalConflict conflict) => new(GlobalAtoms.Global, conflict switch
    {
        GlobalConflict.RandomNotify => GlobalAtoms.RandomNotifyName,
        GlobalConflict.NotifyAll => GlobalAtoms.NotifyAllName,
        _ => GlobalAtoms.RandomExitName,
    }, 3);

    public static ErlangTerm ResolveIt(BeamNode node, ILogger logger, ErlangTerm method, ErlangTerm name, ErlangPid pid1, ErlangPid pid2)
    {
        var function = method switch
        {
            ErlangExport { Arity: 3 } e when ReferenceEquals(e.Module, GlobalAtoms.Global) => e.Function,
            ErlangFun { Arity: 3 } f when ReferenceEquals(f.Module, GlobalAtoms.Global) => GlobalAtoms.RandomExitName,
            _ => null,
        };
        var (min, max) = pid1.Node.CompareTo(pid2.Node) < 0 ? (pid1, pid2) : (pid2, pid1);
        if (ReferenceEquals(function, GlobalAtoms.RandomExitName))
        {
            GlobalLog.ConflictTerminating(logger, name, max);
            node.Exit(max, ErlangAtom.Get("kill"));
            return min;
        }

        if (ReferenceEquals(function, GlobalAtoms.RandomNotifyName))
        {
            node.Send(max, new ErlangTuple(GlobalAtoms.NameConflict, name));
            return min;
        }

        if (ReferenceEquals(function, GlobalAtoms.NotifyAllName))
        {
            node.Send(pid1, new ErlangTuple(GlobalAtoms.NameConflict, name, pid2));
            node.Send(pid2, new ErlangTuple(GlobalAtoms.NameConflict, name, pid1));
            return GlobalAtoms.None;
        }

        // What `catch Method(...)` gives for something that is not a fun: the name is then dropped.
        return new ErlangTuple(ProcessAtoms.Exit, new ErlangTuple(ErlangAtom.Get("badfun"), method));
    }
}

/// <summary>What global does when two partitions that join hold the same name for different processes.</summary>
public enum GlobalConflict
{
    /// <summary><c>global:random_exit_name/3</c>: keeps the process on the smaller node, kills the other.</summary>
    RandomExit,

    /// <summary><c>global:random_notify_name/3</c>: keeps the process on the smaller node, sends the other <c>{global_name_conflict, Name}</c>.</summary>
    RandomNotify,

    /// <summary><c>global:notify_all_name/3</c>: unregisters the name, sends both <c>{global_name_conflict, Name, OtherPid}</c>.</summary>
    NotifyAll,
}
