using System.Diagnostics;
using System.Net;

namespace Beamwire.Benchmarks.Support;

/// <summary>
/// What the side-by-side drivers share: the Erlang release they run against, free loopback ports, and
/// starting and stopping their helper processes (epmd, erl nodes, a second Beamwire process).
/// </summary>
internal static class BenchHost
{
    /// <summary>The host erl's otp_release, printed in each benchmark's header line.</summary>
    public static string ErlRelease()
    {
        using var p = Process.Start(new ProcessStartInfo("erl", ["-noshell", "-eval", "io:put_chars(erlang:system_info(otp_release)), halt()."]) { RedirectStandardOutput = true })!;
        var s = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return s.Trim();
    }

    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts a helper process, its stderr echoed with the program's name in front; its stdout is the caller's
    /// to read when <paramref name="readStdout"/>, else drained (so a chatty helper never blocks on a full pipe).
    /// </summary>
    public static Process Start(string program, IEnumerable<string> args, IDictionary<string, string>? env, bool readStdout = false)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        p.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"[{Path.GetFileName(program)}] {line}"); };
        p.BeginErrorReadLine();
        if (!readStdout)
        {
            p.OutputDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
        }

        return p;
    }

    /// <summary>Kills what is still running of <paramref name="processes"/> (whole trees) and disposes them all.</summary>
    public static void StopAll(IEnumerable<Process> processes)
    {
        foreach (var p in processes)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            p.Dispose();
        }
    }
}
