using Beamwire.Epmd.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Epmd.Tests.Interop;

/// <summary>Real erl nodes and the real epmd client using our daemon.</summary>
public sealed class RealErlOnOurDaemonTests
{
    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Real_erl_registers_real_epmd_names_lists_it_and_a_second_erl_pings_it(OtpRelease release)
    {
        await using var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0 });
        var distPort = FreePort.Next();
        var nameA = TestHost.UniqueName("a");
        await using var a = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            SName = nameA,
            EpmdPort = daemon.Port,
            ExtraArgs = ["-kernel", "inet_dist_listen_min", distPort.ToString(), "inet_dist_listen_max", distPort.ToString()],
        });

        Assert.Contains(new EpmdName(nameA, distPort), daemon.GetNames());
        var env = new Dictionary<string, string> { ["ERL_EPMD_PORT"] = daemon.Port.ToString() };
        var names = await OtpCommand.RunAsync(release, "epmd", ["-names"], env);
        Assert.Equal(0, names.ExitCode);
        Assert.Equal($"epmd: up and running on port {daemon.Port} with data:\nname {nameA} at port {distPort}\n", names.StdOut);

        await using var b = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("b"), EpmdPort = daemon.Port });
        Assert.Equal("pong", await b.EvalTextAsync($"net_adm:ping('{a.NodeName}')."));
        Assert.Equal($"{{ok,{distPort}}}", await b.EvalTextAsync($"{{port, P, _}} = erl_epmd:port_please(\"{nameA}\", \"localhost\"), {{ok, P}}."));

        // Our client sees the same thing the real one does (now with both nodes, newest first).
        var listing = await new EpmdClient("localhost", daemon.Port).GetNamesListingAsync();
        var both = await OtpCommand.RunAsync(release, "epmd", ["-names"], env);
        Assert.StartsWith($"epmd: up and running on port {daemon.Port} with data:\nname b_", both.StdOut, StringComparison.Ordinal);
        Assert.Equal(both.StdOut, $"epmd: up and running on port {listing.EpmdPort} with data:\n" + System.Text.Encoding.UTF8.GetString(listing.Text.Span));

        // When a node stops, its name goes.
        await a.DisposeAsync();
        await RawEpmd.WaitUntilUnregisteredAsync(daemon.Port, nameA);
        Assert.DoesNotContain(daemon.GetNames(), n => n.Name == nameA);
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Daemon_survives_thousands_of_bad_requests_and_still_serves_real_erl(OtpRelease release)
    {
        var log = new CapturingLogger();
        await using var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0, RequestTimeout = TimeSpan.FromMilliseconds(500) }, log);
        var rng = new Random(1234);
        var sent = 0;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var local = new Random(w);
            for (var i = 0; i < 500 && DateTime.UtcNow < deadline; i++)
            {
                var bytes = BadInput.Make(local, i);
                try
                {
                    var reply = await RawEpmd.SendAsync(daemon.Port, bytes.Bytes, bytes.HalfClose);
                    Assert.True(reply.Length <= 2 || bytes.MayBeAnswered, $"case {bytes.Kind} got {reply.Length} bytes");
                }
                catch (System.Net.Sockets.SocketException)
                {
                    // A reset for trailing bytes is fine: epmd closes with unread data too.
                }

                Interlocked.Increment(ref sent);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        Assert.True(sent >= 2000, $"only {sent} bad requests were sent");

        // Clients that connect and say nothing, or send half a frame and stall, are timed out.
        var stalled = await RawEpmd.ConnectAsync(daemon.Port, "127.0.0.1");
        await stalled.SendAsync(new byte[] { 0, 10, 122 }, System.Net.Sockets.SocketFlags.None);
        Assert.Empty(await RawEpmd.ReadToEndAsync(stalled).WaitAsync(TimeSpan.FromSeconds(5)));
        stalled.Dispose();

        Assert.True(log.Lines.Count >= 1000, $"bad input should be logged ({log.Lines.Count} lines)");
        Assert.True(log.Count("invalid packet size") > 0 && log.Count("got garbage") > 0 && log.Count("partial packet") > 0,
            string.Join("\n", log.Lines.Take(20)));
        // The stalled client's close reaches the daemon a moment after ours returns: wait for it, then check.
        for (var i = 0; i < 100 && daemon.ConnectionCount != 0; i++) await Task.Delay(50);
        Assert.Equal(0, daemon.ConnectionCount);

        var nameA = TestHost.UniqueName("a");
        await using var a = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = nameA, EpmdPort = daemon.Port });
        await using var b = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("b"), EpmdPort = daemon.Port });
        Assert.Equal("pong", await b.EvalTextAsync($"net_adm:ping('{a.NodeName}')."));
    }
}
