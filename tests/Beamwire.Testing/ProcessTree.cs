using System.Diagnostics;
using System.Globalization;

namespace Beamwire.Testing;

/// <summary>One OS process, identified by pid and start time so that a reused pid is never mistaken for it.</summary>
public readonly record struct OsProcess(int Pid, long StartTime, string Name);

/// <summary>
/// The Linux process table (/proc), for making sure a test leaves no process behind: a peer's beam
/// starts erl_child_setup and port programs, and those can outlive the node.
/// </summary>
public static class ProcessTree
{
    /// <summary>The process and all its descendants as they are now (empty when it is gone).</summary>
    public static IReadOnlyList<OsProcess> Of(int pid)
    {
        var all = new List<(OsProcess Process, int Parent)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var p)
                && TryRead(p) is { } entry && entry.State != 'Z')
                all.Add((entry.Process, entry.Parent));
        }

        var root = all.FindIndex(e => e.Process.Pid == pid);
        if (root < 0) return [];
        var children = all.ToLookup(e => e.Parent, e => e.Process);
        var result = new List<OsProcess> { all[root].Process };
        for (var i = 0; i < result.Count; i++)
            result.AddRange(children[result[i].Pid]);
        return result;
    }

    /// <summary>True while this very process (same pid and start time) exists and is not a zombie.</summary>
    public static bool IsRunning(OsProcess process) =>
        TryRead(process.Pid) is { } entry && entry.Process.StartTime == process.StartTime && entry.State != 'Z';

    /// <summary>The processes of <paramref name="processes"/> that still run.</summary>
    public static IReadOnlyList<OsProcess> Survivors(IEnumerable<OsProcess> processes) =>
        processes.Where(IsRunning).ToList();

    /// <summary>Kills (SIGKILL) every process of the list that still runs and waits until they are gone.</summary>
    public static async Task KillAsync(IEnumerable<OsProcess> processes, TimeSpan timeout)
    {
        var left = Survivors(processes);
        foreach (var p in left)
        {
            try
            {
                using var handle = Process.GetProcessById(p.Pid);
                if (IsRunning(p)) handle.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        var deadline = DateTime.UtcNow + timeout;
        while ((left = Survivors(left)).Count > 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("processes survived SIGKILL: " + string.Join(", ", left));
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private static (OsProcess Process, int Parent, char State)? TryRead(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ... starttime(22nd field)"; comm may itself hold spaces and parentheses.
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 20) return null;
        var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var start = long.Parse(fields[19], CultureInfo.InvariantCulture);
        return (new OsProcess(pid, start, stat[(open + 1)..close]), parent, fields[0][0]);
    }
}
