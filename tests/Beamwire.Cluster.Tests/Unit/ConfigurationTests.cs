using Beamwire.Cluster.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Beamwire.Cluster.Tests.Unit;

/// <summary>A bad strategy, key or value fails start-up with the key, the value and what is allowed.</summary>
public sealed class ConfigurationTests
{
    private static ClusterOptions FromJson(string json)
    {
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        return ClusterConfiguration.Read(config);
    }

    private static string Fails(ClusterOptions options) =>
        Assert.Throws<ClusterConfigurationException>(() => ClusterService.ValidateOptions(options)).Message;

    [Fact]
    public void Appsettings_shape_binds_strategy_and_config_with_arrays_joined()
    {
        var o = FromJson("""{"Beamwire":{"Cluster":{"Topologies":{"example":{"Strategy":"Epmd","Config":{"Hosts":["node1@h","node2@h"],"Timeout":"5000"}}}}}}""");
        Assert.Equal("Epmd", o.Topologies["example"].Strategy);
        Assert.Equal("node1@h,node2@h", o.Topologies["example"].Config["Hosts"]);
        ClusterService.ValidateOptions(o);
    }

    [Fact]
    public void Unknown_strategy_names_the_key_the_value_and_the_strategies()
    {
        var m = Fails(new ClusterOptions().Add("example", "Epmdd"));
        Assert.Equal("Beamwire:Cluster:Topologies:example:Strategy = 'Epmdd' is not a strategy: give one of DnsPoll, Epmd, ErlangHosts, Gossip, KubernetesDns, KubernetesDnsSrv, LocalEpmd", m);
    }

    [Theory]
    [InlineData("Cluster.Strategy.Epmd")]
    [InlineData("Elixir.Cluster.Strategy.Epmd")]
    [InlineData("epmd")]
    [InlineData("dns-poll")]
    [InlineData("Cluster.Strategy.DNSPoll")]
    [InlineData("Cluster.Strategy.Kubernetes.DNS")]
    public void Libcluster_module_names_and_cli_names_are_accepted(string strategy)
    {
        var config = new Dictionary<string, string> { ["Hosts"] = "a@h", ["Query"] = "q.example", ["ApplicationName"] = "app", ["Service"] = "svc" };
        var o = new ClusterOptions();
        o.Add("t", strategy);
        var d = o.Topologies["t"];
        Assert.True(Strategies.StrategyRegistry.TryGet(strategy, out var desc));
        foreach (var (k, v) in config)
            if (k == "Hosts" && desc.Name == "Epmd" || k == "Query" && desc.Name == "DnsPoll" || (k is "ApplicationName" or "Service") && desc.Name == "KubernetesDns")
                d.Config[k] = v;
        ClusterService.ValidateOptions(o);
    }

    [Fact]
    public void Unknown_key_names_the_key_and_the_allowed_keys()
    {
        var m = Fails(new ClusterOptions().Add("example", "DnsPoll", new Dictionary<string, string> { ["Query"] = "app.internal", ["PollInterval"] = "5000" }));
        Assert.StartsWith("Beamwire:Cluster:Topologies:example:Config:PollInterval = '5000' is not a key of the DnsPoll strategy: allowed keys are ", m);
        Assert.Contains("PollingInterval", m);
        Assert.Contains("NodeBasename", m);
    }

    [Fact]
    public void Bad_duration_names_the_key_value_and_forms()
    {
        var m = Fails(new ClusterOptions().Add("example", "DnsPoll", new Dictionary<string, string> { ["Query"] = "app.internal", ["PollingInterval"] = "often" }));
        Assert.Equal("Beamwire:Cluster:Topologies:example:Config:PollingInterval = 'often' is not a valid duration: give milliseconds (5000), 5s, 250ms, 1m or hh:mm:ss, at least 10 ms", m);
    }

    [Fact]
    public void Missing_required_key_says_what_it_is()
    {
        var m = Fails(new ClusterOptions().Add("example", "DnsPoll"));
        Assert.StartsWith("Beamwire:Cluster:Topologies:example:Config:Query is required by the DnsPoll strategy", m);
    }

    [Theory]
    [InlineData("Epmd", "Hosts", "node1", "is not a node name: give name@host")]
    [InlineData("Gossip", "Port", "70000", "is not allowed: give a whole number from 1 to 65535")]
    [InlineData("Gossip", "MulticastAddr", "10.0.0.1", "is not a multicast address (224.0.0.0/4)")]
    [InlineData("Gossip", "MulticastAddr", "not-an-ip", "is not an IP address")]
    [InlineData("Gossip", "Authenticated", "yes", "is not allowed: give true or false")]
    [InlineData("Epmd", "MinPeers", "-1", "is not allowed: give a whole number from 0 to 100000")]
    [InlineData("Epmd", "Prune", "maybe", "is not allowed: give true or false")]
    public void Bad_values_name_key_value_and_allowed(string strategy, string key, string value, string expected)
    {
        var config = new Dictionary<string, string> { [key] = value };
        if (strategy == "Epmd" && key != "Hosts") config["Hosts"] = "a@h";
        var m = Fails(new ClusterOptions().Add("example", strategy, config));
        Assert.StartsWith($"Beamwire:Cluster:Topologies:example:Config:{key} = '{value}' ", m);
        Assert.Contains(expected, m);
    }

    [Fact]
    public void Authenticated_gossip_needs_a_secret()
    {
        var m = Fails(new ClusterOptions().Add("example", "Gossip", new Dictionary<string, string> { ["Authenticated"] = "true" }));
        Assert.Contains("needs Beamwire:Cluster:Topologies:example:Config:Secret", m);
    }

    [Fact]
    public void A_setting_outside_strategy_and_config_is_refused()
    {
        var e = Assert.Throws<ClusterConfigurationException>(() =>
            FromJson("""{"Beamwire":{"Cluster":{"Topologies":{"example":{"Strategy":"Epmd","Hosts":["a@h"]}}}}}"""));
        Assert.Equal("Beamwire:Cluster:Topologies:example:Hosts is not a topology setting: allowed are Strategy and Config", e.Message);
    }

    [Fact]
    public void Missing_strategy_lists_the_strategies()
    {
        var m = Fails(new ClusterOptions().Add("example", ""));
        Assert.StartsWith("Beamwire:Cluster:Topologies:example:Strategy is required: give one of DnsPoll, Epmd", m);
    }
}
