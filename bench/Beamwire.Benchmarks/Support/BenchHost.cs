using System.Diagnostics;
using System.Net;

namespace Beamwire.Benchmarks.Support;

/// <summary>Facts and resources the side-by-side drivers share: the Erlang release they run against, free loopback ports.</summary>
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
}
