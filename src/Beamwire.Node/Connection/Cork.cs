namespace Beamwire.Node.Connection;

/// <summary>
/// Holds back the writing of the frames a thread queues until it is released, so that frames that belong
/// together leave in one socket write: a GenServer call's monitor and request (Erlang's port queue gives
/// the same), rather than the monitor on its own and the request, 20 µs later, via the writer thread.
/// </summary>
/// <remarks>
/// Per thread and nestable; only the outermost release writes. A connection is remembered the first time
/// it holds frames back (at most a few per region: one per peer the region sent to). A ref struct, so the
/// compiler keeps a region from spanning an await (it would be released on another thread). Code that runs
/// other processes inline inside a region (AllowSynchronousContinuations) holds their frames too, until
/// the region ends: keep regions to a few sends.
/// </remarks>
internal readonly ref struct Cork
{
    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static List<OutboundQueue>? t_held;

    private readonly bool _active;

    private Cork(bool active) => _active = active;

    /// <summary>Starts holding back this thread's frames; dispose to write them.</summary>
    public static Cork Begin()
    {
        t_depth++;
        return new Cork(true);
    }

    /// <summary>
    /// Called under <paramref name="queue"/>'s gate when it has a frame to write: true (and remembered) when
    /// this thread is corked, so the frame waits for the release.
    /// </summary>
    internal static bool Holds(OutboundQueue queue)
    {
        if (t_depth == 0) return false;
        var held = t_held ??= new List<OutboundQueue>(2);
        if (!held.Contains(queue)) held.Add(queue);
        return true;
    }

    public void Dispose()
    {
        if (!_active || --t_depth > 0) return;
        if (t_held is not { Count: > 0 } held) return;
        // Released in the order they were first held; the list is reused by this thread's next cork.
        for (var i = 0; i < held.Count; i++) held[i].Uncork();
        held.Clear();
    }
}
