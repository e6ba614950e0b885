using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>Atoms of remote spawn (spawn_request options and failure reasons).</summary>
internal static class SpawnAtoms
{
    public static readonly ErlangAtom Link = ErlangAtom.Get("link");
    public static readonly ErlangAtom Monitor = ErlangAtom.Get("monitor");
    public static readonly ErlangAtom NotSup = ErlangAtom.Get("notsup");
    public static readonly ErlangAtom BadOpt = ErlangAtom.Get("badopt");
    public static readonly ErlangAtom Nocatch = ErlangAtom.Get("nocatch");

    /// <summary>spawn options a BEAM accepts that mean nothing to a .NET process (ignored, as tuning hints).</summary>
    public static readonly HashSet<ErlangAtom> IgnoredOptionKeys =
    [
        ErlangAtom.Get("priority"), ErlangAtom.Get("fullsweep_after"), ErlangAtom.Get("min_heap_size"),
        ErlangAtom.Get("min_bin_vheap_size"), ErlangAtom.Get("max_heap_size"), ErlangAtom.Get("message_queue_data"),
        ErlangAtom.Get("async_dist"),
    ];
}
