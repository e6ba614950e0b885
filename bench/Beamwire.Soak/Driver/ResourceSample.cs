using System.Globalization;
using Beamwire.Testing;

namespace Beamwire.Soak.Driver;

/// <summary>
/// One agent's resources as /proc shows them: sockets and other descriptors, threads (and of those the
/// Beamwire connection readers, <c>bw recv PEER</c>), resident memory, the OS processes of its tree, and
/// the Erlang processes the agent itself counts (STATS).
/// </summary>
public sealed record ResourceSample(TimeSpan At, int Sockets, int Fds, int Threads, int ReaderThreads, long RssKb, int OsProcesses, int ErlangProcesses)
{
    /// <summary>What must come back to the baseline after every kill and restart (threads other than readers may vary with the pool).</summary>
    public bool SameSteadyState(ResourceSample baseline) =>
        Sockets == baseline.Sockets && ReaderThreads == baseline.ReaderThreads && OsProcesses == baseline.OsProcesses && ErlangProcesses == baseline.ErlangProcesses;

    public string Steady => $"sockets={Sockets} reader_threads={ReaderThreads} os_processes={OsProcesses} erlang_processes={ErlangProcesses}";

    internal static ResourceSample Take(AgentProcess agent, TimeSpan at, int erlangProcesses)
    {
        var pid = agent.Pid;
        var (fds, sockets) = Descriptors(pid);
        var (threads, rss) = Status(pid);
        return new ResourceSample(at, sockets, fds, threads, CountReaderThreads(pid), rss, ProcessTree.Of(pid).Count, erlangProcesses);
    }

    /// <summary>Resident memory only (the periodic series).</summary>
    public static long RssOf(int pid) => Status(pid).RssKb;

    private static (int Fds, int Sockets) Descriptors(int pid)
    {
        int fds = 0, sockets = 0;
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                fds++;
                try
                {
                    if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true) sockets++;
                }
                catch (IOException)
                {
                    // closed while we looked
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // gone
        }

        return (fds, sockets);
    }

    private static (int Threads, long RssKb) Status(int pid)
    {
        int threads = 0;
        long rss = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
            // gone
        }

        return (threads, rss);
    }

    private static int CountReaderThreads(int pid)
    {
        var n = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                    if (comm.StartsWith("bw recv ", StringComparison.Ordinal) && comm != "bw recv watch") n++;
                }
                catch (IOException)
                {
                    // the thread ended while we looked
                }
            }
        }
        catch (IOException)
        {
            // gone
        }

        return n;
    }
}
