using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Connection;

public class MetricsTests
{
    [Fact]
    public async Task Distribution_instruments_are_published_on_the_Beamwire_meter()
    {
        // Every node in this test process publishes on Meter("Beamwire"): each meter's "node" tag says
        // whose measurement it is, so other tests running alongside cannot satisfy (or spoil) this one.
        var seen = new ConcurrentDictionary<(string Node, string Instrument), long>();
        var tags = new ConcurrentBag<(string Node, string Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Beamwire" && instrument.Name.StartsWith("beamwire.dist.", StringComparison.Ordinal))
                l.EnableMeasurementEvents(instrument, instrument.Meter.Tags?.FirstOrDefault(t => t.Key == "node").Value as string ?? "");
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tagList, state) =>
        {
            var node = (string)state!;
            foreach (var t in tagList) tags.Add((node, $"{t.Key}={t.Value}")); // before seen: the test waits on seen, then reads tags
            seen.AddOrUpdate((node, instrument.Name), value, (_, v) => v + value);
        });
        listener.Start();

        var ports = new Dictionary<string, int>();
        BeamNodeOptions Options(string name) => new()
        {
            Name = name, Cookie = "c", Epmd = EpmdMode.Disabled, ListenAddress = IPAddress.Loopback, ListenPort = FreePort.Next(),
            PortResolver = (n, _) => ValueTask.FromResult(ports.TryGetValue(n.Alive, out var p) ? p : (int?)null),
        };
        await using var a = await BeamNode.StartAsync(Options(TestHost.UniqueName("ma")));
        await using var b = await BeamNode.StartAsync(Options(TestHost.UniqueName("mb")));
        ports[a.Self.Alive] = a.Port;
        ports[b.Self.Alive] = b.Port;
        using var inbox = b.CreateMailbox("inbox");
        Assert.Equal(PingResult.Pong, await a.PingAsync(b.Self.Full));
        a.Send("inbox", b.Self.Full, ErlangAtom.Ok);
        await inbox.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.True(a.Disconnect(b.Self.Full));
        var self = a.Self.Full;
        var other = b.Self.Full;
        Assert.True(await TestNodes.EventuallyAsync(() => seen.ContainsKey((self, "beamwire.dist.nodedown")) && seen.ContainsKey((other, "beamwire.dist.nodedown"))));

        foreach (var name in new[] { "beamwire.dist.handshakes", "beamwire.dist.connections", "beamwire.dist.messages.sent", "beamwire.dist.messages.received", "beamwire.dist.frames.received" })
            Assert.True(seen.ContainsKey((self, name)), $"{name} was not recorded for {self}; saw {string.Join(", ", seen.Keys)}");
        Assert.Contains((self, "result=ok"), tags);
        Assert.Contains((self, "reason=disconnect"), tags);
        Assert.Contains((other, "reason=connection_closed"), tags); // the other side saw the socket close
    }
}
