using Beamwire.Hosting.Configuration;
using Beamwire.Node;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Beamwire.Hosting.Tests;

/// <summary>The Beamwire section, the release variables and code, in their documented order, and the errors a bad key or value gives.</summary>
public class ConfigurationTests
{
    internal static BeamNodeOptions Resolve(Dictionary<string, string?> settings, Action<BeamNodeOptions>? configure = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config);
        services.AddBeamwireNode(config.GetSection("Beamwire"), configure);
        using var sp = services.BuildServiceProvider();
        return sp.GetRequiredService<IOptions<BeamNodeOptions>>().Value;
    }

    [Fact]
    public void Every_key_of_the_section_sets_its_option()
    {
        var o = Resolve(new()
        {
            ["Beamwire:Name"] = "app",
            ["Beamwire:NameMode"] = "LongNames",
            ["Beamwire:Cookie"] = "c",
            ["Beamwire:Hidden"] = "true",
            ["Beamwire:ListenAddress"] = "127.0.0.1",
            ["Beamwire:ListenPort"] = "9100",
            ["Beamwire:Epmd"] = "external",
            ["Beamwire:EpmdPort"] = "4400",
            ["Beamwire:NetTickTime"] = "00:00:20",
            ["Beamwire:HandshakeTimeout"] = "3s",
            ["Beamwire:ReceiveCoalescing"] = "50us",
            ["Beamwire:SendQueueLimit"] = "1048576",
            ["Beamwire:AllowedNodes:0"] = "a@h",
            ["Beamwire:AllowedNodes:1"] = "b@h",
            ["Beamwire:PgScopes"] = "pg, pubsub",
            ["Beamwire:ConnectAll"] = "false",
            ["Beamwire:Cluster:Topologies:example:Strategy"] = "Epmd", // another part's section: not the node's concern
        });
        Assert.Equal("app", o.Name);
        Assert.Equal(NodeNameMode.LongNames, o.NameMode);
        Assert.Equal("c", o.Cookie);
        Assert.True(o.Hidden);
        Assert.Equal("127.0.0.1", o.ListenAddress.ToString());
        Assert.Equal(9100, o.ListenPort);
        Assert.Equal(EpmdMode.External, o.Epmd);
        Assert.Equal(4400, o.EpmdPort);
        Assert.Equal(TimeSpan.FromSeconds(20), o.NetTickTime);
        Assert.Equal(TimeSpan.FromSeconds(3), o.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromMicroseconds(50), o.ReceiveCoalescing);
        Assert.Equal(1048576, o.SendQueueLimit);
        Assert.Equal(["a@h", "b@h"], o.AllowedNodes);
        Assert.Equal(["pg", "pubsub"], o.PgScopes); // replaces the default list, does not append to it
        Assert.False(o.ConnectAll);
    }

    [Fact]
    public void The_key_table_covers_every_settable_option_that_configuration_can_hold()
    {
        // A new option must be added to the table (or deliberately left to code: delegates such as the port
        // resolver, and EpmdAutoStart, whose mode is the EpmdAutoStartMode key and whose daemon options are code's).
        string[] leftToCode = ["EpmdAutoStart"];
        var settable = typeof(BeamNodeOptions).GetProperties()
            .Where(p => p.SetMethod is { IsPublic: true } && !p.PropertyType.IsAssignableTo(typeof(Delegate)) && !leftToCode.Contains(p.Name))
            .Select(p => p.Name).Order();
        Assert.Equal(settable, NodeSettingKeys.Names.Order());
    }

    [Theory]
    [InlineData("Beamwire:Nmae", "x", "'Beamwire:Nmae' = 'x' is not a Beamwire node setting; the keys are Name, NameMode")]
    [InlineData("Beamwire:NetTickTime", "soon", "'Beamwire:NetTickTime' = 'soon' takes a duration")]
    [InlineData("Beamwire:NameMode", "Short", "'Beamwire:NameMode' = 'Short' takes one of ShortNames, LongNames")]
    [InlineData("Beamwire:Epmd", "1", "'Beamwire:Epmd' = '1' takes one of Auto, External, Disabled")]
    [InlineData("Beamwire:ListenPort", "80a", "'Beamwire:ListenPort' = '80a' takes a whole number")]
    [InlineData("Beamwire:ListenAddress", "localhost", "'Beamwire:ListenAddress' = 'localhost' takes an IP address")]
    [InlineData("Beamwire:Hidden", "yes", "'Beamwire:Hidden' = 'yes' takes true or false")]
    public void A_bad_key_or_value_is_named_with_what_it_takes(string key, string value, string expected)
    {
        var ex = Assert.Throws<BeamwireConfigurationException>(() => Resolve(new() { ["Beamwire:Name"] = "app", [key] = value }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(key, ex.Key);
    }

    [Fact]
    public async Task The_host_does_not_start_with_an_invalid_option()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Beamwire:Name"] = "app", ["Beamwire:NetTickTime"] = "500ms" });
        builder.Services.AddBeamwireNode(builder.Configuration.GetSection("Beamwire"));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Beamwire:NetTickTime: NetTickTime must be at least 1 second.", ex.Message, StringComparison.Ordinal);

        var unknown = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        unknown.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Beamwire:Name"] = "app", ["Beamwire:Coookie"] = "c" });
        unknown.Services.AddBeamwireNode(unknown.Configuration.GetSection("Beamwire"));
        using var host2 = unknown.Build();
        var ex2 = await Assert.ThrowsAsync<BeamwireConfigurationException>(() => host2.StartAsync());
        Assert.Equal("Beamwire:Coookie", ex2.Key);
    }

    [Fact]
    public void Release_variables_fill_in_and_the_section_and_code_win_over_them()
    {
        var release = new Dictionary<string, string?> { ["RELEASE_NODE"] = "rel@10.1.2.3", ["RELEASE_COOKIE"] = "relcookie", ["RELEASE_DISTRIBUTION"] = "name" };
        var fromRelease = Resolve(release);
        Assert.Equal("rel@10.1.2.3", fromRelease.Name);
        Assert.Equal("relcookie", fromRelease.Cookie);
        Assert.Equal(NodeNameMode.LongNames, fromRelease.NameMode);

        var sectionWins = Resolve(new(release) { ["Beamwire:Name"] = "sec@10.1.2.3", ["Beamwire:Cookie"] = "seccookie" });
        Assert.Equal("sec@10.1.2.3", sectionWins.Name);
        Assert.Equal("seccookie", sectionWins.Cookie);
        Assert.Equal(NodeNameMode.LongNames, sectionWins.NameMode);

        var codeWins = Resolve(new(release) { ["Beamwire:Name"] = "sec@10.1.2.3" }, o => o.Name = "code@10.1.2.3");
        Assert.Equal("code@10.1.2.3", codeWins.Name);

        Assert.Equal(NodeNameMode.ShortNames, Resolve(new() { ["RELEASE_NODE"] = "a", ["RELEASE_DISTRIBUTION"] = "sname" }).NameMode);
        var bad = Assert.Throws<BeamwireConfigurationException>(() => Resolve(new() { ["RELEASE_NODE"] = "a", ["RELEASE_DISTRIBUTION"] = "long" }));
        Assert.Equal("Configuration key 'RELEASE_DISTRIBUTION' = 'long' takes sname, name or none.", bad.Message);
    }

    [Theory]
    [InlineData("60s", 60_000_000)]
    [InlineData("500ms", 500_000)]
    [InlineData("100us", 100)]
    [InlineData("1.5m", 90_000_000)]
    [InlineData("00:00:07", 7_000_000)]
    public void Durations_take_a_unit_or_the_timespan_form(string text, long micros) =>
        Assert.Equal(TimeSpan.FromMicroseconds(micros), DurationText.TryParse(text));

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5 s")]
    [InlineData("5d")]
    [InlineData("-5s")]
    [InlineData("1e3s")]
    public void Durations_without_a_known_unit_are_refused(string text) => Assert.Null(DurationText.TryParse(text));
}
