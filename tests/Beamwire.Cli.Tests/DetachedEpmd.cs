using System.Diagnostics;

namespace Beamwire.Cli.Tests;

/// <summary>
/// The detached <c>beamwire epmd</c> daemons that nodes started by the command leave behind, found by
/// their command line in /proc (they are nobody's child: their own session, parent init), so that a
/// test can look at them and end them.
/// </summary>
internal static class DetachedEpmd
{
    // Every process the tests start inherits this; a daemon that a node started when its epmd went away
    // during a test's teardown (the node noticed before it was stopped) carries it too.
    private const string OwnerVariable = "BWTEST_OWNER";

    /// <summary>
    /// Marks this test process's children and, when it exits, kills the detached daemons that carry its
    /// mark: none should be left, and none may outlive the run.
    /// </summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void KillLeftBehindAtExit()
    {
        var owner = Environment.ProcessId.ToString();
        Environment.SetEnvironmentVariable(OwnerVariable, owner);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var (pid, _) in Find(argv => IsBeamwire(argv) && Array.IndexOf(argv, "epmd") >= 0, OwnerVariable + "=" + owner))
                Kill(pid);
        };
    }

    /// <summary>The beamwire (or <c>dotnet beamwire.dll</c>) processes running <c>epmd ... -port P</c>.</summary>
    public static IReadOnlyList<(int Pid, string[] Argv)> On(int port) => Find(argv =>
    {
        var epmd = Array.IndexOf(argv, "epmd");
        return IsBeamwire(argv) && epmd >= 0 && argv.Skip(epmd).Zip(argv.Skip(epmd + 1)).Contains(("-port", port.ToString()));
    });

    private static bool IsBeamwire(string[] argv) =>
        argv.Length > 0 && (Path.GetFileName(argv[0]) == "beamwire" || argv.Any(a => a.EndsWith("beamwire.dll", StringComparison.Ordinal)));

    private static List<(int Pid, string[] Argv)> Find(Func<string[], bool> match, string? environment = null)
    {
        var found = new List<(int, string[])>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (!match(argv)) continue;
                if (environment is not null && !File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(environment)) continue;
                found.Add((pid, argv));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile, or not ours to read
            }
        }

        return found;
    }

    private static void Kill(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>The session id of a process (field 6 of /proc/PID/stat).</summary>
    public static int SessionOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3]);
    }

    /// <summary>Kills every detached daemon on the port and waits until nothing listens there.</summary>
    public static async Task KillAsync(int port)
    {
        foreach (var (pid, _) in On(port))
            Kill(pid);

        // Not WaitForExit: the daemon is not our child, and who reaps it is up to the host's init.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await BeamwireCli.IsListeningAsync(port) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
    }
}
