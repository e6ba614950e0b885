namespace Beamwire.Node.Connection;

/// <summary>
/// Watches the connections' reader threads (<see cref="SocketReader"/>): one that has been running processes
/// for longer than <see cref="TakeOverAfterMs"/> (a process computing, or blocking its thread) hands its socket
/// to a new thread, so the connection's other messages keep flowing (Erlang would have preempted such a
/// process). One background thread for all nodes of the OS process, awake every <see cref="IntervalMs"/>
/// only while some connection exists.
/// </summary>
internal static class ReaderWatchdog
{
    /// <summary>How often the readers are looked at.</summary>
    public const int IntervalMs = 5;

    /// <summary>A run of processes on a reader thread longer than this moves reading to another thread.</summary>
    public const int TakeOverAfterMs = 10;

    private static readonly List<SocketReader> s_readers = [];
    private static Thread? s_thread;

    public static void Register(SocketReader reader)
    {
        lock (s_readers)
        {
            s_readers.Add(reader);
            if (s_thread is null)
            {
                s_thread = new Thread(Watch) { IsBackground = true, Name = "bw recv watch" };
                s_thread.UnsafeStart();
            }
            else if (s_readers.Count == 1)
            {
                Monitor.Pulse(s_readers);
            }
        }
    }

    public static void Unregister(SocketReader reader)
    {
        lock (s_readers) s_readers.Remove(reader);
    }

    private static void Watch()
    {
        var snapshot = new List<SocketReader>();
        while (true)
        {
            lock (s_readers)
            {
                while (s_readers.Count == 0) Monitor.Wait(s_readers);
                snapshot.Clear();
                snapshot.AddRange(s_readers);
            }

            var now = Environment.TickCount64;
            foreach (var r in snapshot) r.TakeOverIfStalled(now, TakeOverAfterMs);
            Thread.Sleep(IntervalMs);
        }
    }
}
