using System.Diagnostics.Metrics;
using Beamwire.Hosting.HealthChecks;
using Beamwire.Node;
using Beamwire.Terms;
using Beamwire.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Beamwire.Hosting.Tests;

/// <summary>A node in a generic host, against real epmd and real Elixir nodes of each release.</summary>
public class HostedNodeTests
{
    private const string Cookie = "beamwire-hosting-test";

    /// <summary>A service the GenServer gets by constructor injection.</summary>
    public sealed class Greeter
    {
        public string Greet(string who) => $"hello {who}";
    }

    /// <summary>Answers <c>{:greet, name}</c> through the injected <see cref="Greeter"/>.</summary>
    public sealed class GreeterServer(Greeter greeter) : GenServer
    {
        protected override ValueTask<CallResult> HandleCallAsync(ErlangTerm request, GenServerFrom from) =>
            new(request is ErlangTuple { Count: 2 } t && t[0] is ErlangAtom { Name: "greet" } && t[1] is ErlangBinary who
                ? CallResult.Reply(ErlangBinary.FromUtf8(greeter.Greet(System.Text.Encoding.UTF8.GetString(who.Bytes.Span))))
                : CallResult.Reply(ErlangAtom.Get("unknown")));
    }

    private static IHost BuildHost(int epmdPort, string name, int minPeers = 0, Dictionary<string, string?>? extra = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["Beamwire:Name"] = name,
            ["Beamwire:Cookie"] = Cookie,
            ["Beamwire:Epmd"] = "External",
            ["Beamwire:EpmdPort"] = epmdPort.ToString(),
            ["Beamwire:ListenAddress"] = "127.0.0.1",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<Greeter>();
        builder.Services.AddBeamwireNode(builder.Configuration.GetSection("Beamwire")).AddGenServer<GreeterServer>("greeter");
        builder.Services.AddHealthChecks().AddBeamwire(minPeers);
        return builder.Build();
    }

    private static async Task<string> EpmdNamesAsync(OtpRelease release, RealEpmd epmd) =>
        (await OtpCommand.RunAsync(release, "epmd", ["-names"], epmd.Env)).StdOut;

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task The_node_lives_as_long_as_the_host_and_serves_a_di_genserver_to_elixir(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var name = TestHost.UniqueName("hosted");
        using var host = BuildHost(epmd.Port, name, minPeers: 1);
        await host.StartAsync();
        var node = host.Services.GetRequiredService<BeamNode>();
        Assert.Same(node, host.Services.GetRequiredService<BeamNodeHost>().Node);
        Assert.Contains($"name {name} at port {node.Port}", await EpmdNamesAsync(release, epmd), StringComparison.Ordinal);

        var health = host.Services.GetRequiredService<HealthCheckService>();
        var before = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, before.Entries["beamwire-node"].Status);
        Assert.Equal(HealthStatus.Healthy, before.Entries["beamwire-epmd"].Status);
        Assert.Equal(HealthStatus.Unhealthy, before.Entries["beamwire-peers"].Status); // no peer yet: not ready

        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = Cookie, Kind = PeerKind.Elixir });
        var target = $"{{:greeter, :\"{node.Self.Full}\"}}";
        Assert.Equal("\"hello elixir\"", await peer.EvalTextAsync($"GenServer.call({target}, {{:greet, \"elixir\"}})"));
        var after = await health.CheckHealthAsync(r => r.Tags.Contains(BeamwireHealthChecksBuilderExtensions.ReadyTag));
        Assert.Equal(HealthStatus.Healthy, after.Status);

        // Under the host's supervisor: a crash of the server is followed by a fresh instance under the same name.
        var first = await peer.EvalTextAsync($":rpc.call(:\"{node.Self.Full}\", :erlang, :whereis, [:greeter])");
        await peer.EvalTextAsync($"Process.exit(:rpc.call(:\"{node.Self.Full}\", :erlang, :whereis, [:greeter]), :kill)");
        Assert.Equal("\"hello again\"", await EventuallyAsync(() => peer.EvalTextAsync($"try do GenServer.call({target}, {{:greet, \"again\"}}) catch :exit, _ -> :down end"), "\"hello again\""));
        Assert.NotEqual(first, await peer.EvalTextAsync($":rpc.call(:\"{node.Self.Full}\", :erlang, :whereis, [:greeter])"));

        // Host stop: the node leaves the cluster and epmd.
        await peer.EvalTextAsync($"Node.monitor(:\"{node.Self.Full}\", true)");
        await host.StopAsync();
        Assert.Equal($"{{:nodedown, :{node.Self.Full}}}", await peer.EvalTextAsync("receive do m -> m after 30_000 -> :none end", TimeSpan.FromSeconds(40)));
        Assert.DoesNotContain($"name {name} ", await EpmdNamesAsync(release, epmd), StringComparison.Ordinal);
        var stopped = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, stopped.Entries["beamwire-epmd"].Status);
    }

    private static async Task<string> EventuallyAsync(Func<Task<string>> eval, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string last;
        do
        {
            last = await eval();
            if (last == expected) return last;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        return last;
    }

    /// <summary>A hosted service registered before the node: its StartAsync still finds the node up (the node starts in the host's Starting phase).</summary>
    private sealed class EarlyService(BeamNodeHost node) : IHostedService
    {
        public BeamNode? SeenAtStart { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            SeenAtStart = node.Node;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task The_node_is_up_before_any_hosted_service_starts()
    {
        await using var epmd = await RealEpmd.StartAsync(OtpRelease.Otp25);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<EarlyService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EarlyService>());
        builder.Services.AddBeamwireNode(o =>
        {
            o.Name = TestHost.UniqueName("early");
            o.Cookie = Cookie;
            o.Epmd = EpmdMode.External;
            o.EpmdPort = epmd.Port;
            o.ListenAddress = System.Net.IPAddress.Loopback;
        });
        using var host = builder.Build();
        await host.StartAsync();
        Assert.NotNull(host.Services.GetRequiredService<EarlyService>().SeenAtStart);
        await host.StopAsync();
    }

    [Fact]
    public async Task Metrics_come_from_the_hosts_meter_factory()
    {
        await using var epmd = await RealEpmd.StartAsync(OtpRelease.Otp25);
        using var host = BuildHost(epmd.Port, TestHost.UniqueName("metered"));
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var seen = new TaskCompletionSource<Meter>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Beamwire" && instrument.Meter.Scope == factory && instrument.Name == "beamwire.processes.spawned")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => seen.TrySetResult(instrument.Meter));
        listener.Start();
        await host.StartAsync(); // the host's supervisor and GenServer are spawned: the counter moves
        var meter = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(factory, meter.Scope);
        Assert.Contains(meter.Tags!, t => t.Key == "node" && (string?)t.Value == host.Services.GetRequiredService<BeamNode>().Self.Full);
        await host.StopAsync();
    }

    [Fact]
    public async Task Release_distribution_none_runs_the_host_without_a_node()
    {
        using var host = BuildHost(FreePort.Next(), "unused", extra: new() { ["RELEASE_DISTRIBUTION"] = "none", ["Beamwire:Name"] = null });
        await host.StartAsync();
        Assert.Null(host.Services.GetRequiredService<BeamNodeHost>().Node);
        var ex = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<BeamNode>());
        Assert.Contains("RELEASE_DISTRIBUTION=none", ex.Message, StringComparison.Ordinal);
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(BeamwireHealthChecksBuilderExtensions.LiveTag));
        Assert.Equal(HealthStatus.Healthy, health.Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_cookie_file_mounted_as_a_secret_is_used_and_a_writable_one_refused()
    {
        await using var epmd = await RealEpmd.StartAsync(OtpRelease.Otp25);
        var dir = Directory.CreateTempSubdirectory("bw-cookie");
        try
        {
            var file = Path.Combine(dir.FullName, "cookie");
            await File.WriteAllTextAsync(file, "SECRETCOOKIE\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // 0444, as Docker mounts secrets
            using (var host = BuildHost(epmd.Port, TestHost.UniqueName("cookied"), extra: new() { ["Beamwire:Cookie"] = null, ["Beamwire:CookieFile"] = file }))
            {
                await host.StartAsync();
                Assert.Equal("SECRETCOOKIE", host.Services.GetRequiredService<BeamNode>().Cookie);
                await host.StopAsync();
            }

            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);
            using var refused = BuildHost(epmd.Port, TestHost.UniqueName("cookied"), extra: new() { ["Beamwire:Cookie"] = null, ["Beamwire:CookieFile"] = file });
            var ex = await Assert.ThrowsAsync<CookieException>(() => refused.StartAsync());
            Assert.Contains("must not be writable by group or others", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
