using Beamwire.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Xunit;

namespace Beamwire.Hosting.Tests;

/// <summary>OpenTelemetry's SDK exports the node's instruments once the app names the meter, as docs/hosting.md shows.</summary>
public class OpenTelemetryTests
{
    [Fact]
    public async Task The_beamwire_meter_reaches_an_opentelemetry_exporter()
    {
        await using var epmd = await RealEpmd.StartAsync(OtpRelease.Otp25);
        var exported = new List<Metric>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter("Beamwire").AddInMemoryExporter(exported));
        builder.Services.AddBeamwireNode(o =>
        {
            o.Name = TestHost.UniqueName("otel");
            o.Cookie = "otel-test";
            o.Epmd = Node.EpmdMode.External;
            o.EpmdPort = epmd.Port;
            o.ListenAddress = System.Net.IPAddress.Loopback;
        });
        using var host = builder.Build();
        await host.StartAsync();
        host.Services.GetRequiredService<Node.BeamNode>().Spawn(_ => Task.CompletedTask); // one measurement of beamwire.processes.spawned
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var self = host.Services.GetRequiredService<Node.BeamNode>().Self.Full;
        bool Ours(Metric m) => m.MeterTags?.Any(t => t.Key == "node" && (string?)t.Value == self) == true;
        Assert.Contains(exported, m => m.Name == "beamwire.processes.count" && Ours(m));
        Assert.Contains(exported, m => m.Name == "beamwire.processes.spawned" && Ours(m));
        await host.StopAsync();
    }
}
