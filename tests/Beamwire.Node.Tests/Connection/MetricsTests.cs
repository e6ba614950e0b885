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
        var seen = new ConcurrentDictionary<string, long>();
        var tags = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Beamwire" && instrument.Name.StartsWith("beamwire.dist.", StringComparison.Ordinal))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tagList, _) =>
        {
            seen.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
            foreach (var t in tagList) tags.Add($"{t.Key}={t.Value}");
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
        Assert.True(await TestNodes.EventuallyAsync(() => seen.ContainsKey("beamwire.dist.nodedown")));

        foreach (var name in new[] { "beamwire.dist.handshakes", "beamwire.dist.connections", "beamwire.dist.messages.sent", "beamwire.dist.messages.received", "beamwire.dist.frames.received" })
            Assert.True(seen.ContainsKey(name), $"{name} was not recorded; saw {string.Join(", ", seen.Keys)}");
        Assert.Contains("result=ok", tags);
        Assert.Contains("reason=disconnect", tags);
    }
}
