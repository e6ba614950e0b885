using Beamwire.Terms;

namespace Beamwire.Soak.Agent;

/// <summary>The atoms of the soak's messages (the same as soak_agent.erl's).</summary>
internal static class SoakAtoms
{
    public static readonly ErlangAtom Soak = ErlangAtom.Get("soak");
    public static readonly ErlangAtom SoakFin = ErlangAtom.Get("soak_fin");
    public static readonly ErlangAtom Fin = ErlangAtom.Get("fin");
    public static readonly ErlangAtom FinDone = ErlangAtom.Get("fin_done");
    public static readonly ErlangAtom Pids = ErlangAtom.Get("pids");
    public static readonly ErlangAtom Echo = ErlangAtom.Get("echo");
    public static readonly ErlangAtom Down = ErlangAtom.Get("DOWN");
    public static readonly ErlangAtom Exit = ErlangAtom.Get("EXIT");
    public static readonly ErlangAtom NodeDown = ErlangAtom.Get("nodedown");
    public static readonly ErlangAtom None = ErlangAtom.Get("none");
}
