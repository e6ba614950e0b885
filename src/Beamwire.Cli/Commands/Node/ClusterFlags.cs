using System.CommandLine;
using Beamwire.Cli.Commands.Common;
using Beamwire.Cluster;
using Beamwire.Cluster.Configuration;
using Microsoft.Extensions.Configuration;

namespace Beamwire.Cli.Commands.Node;

/// <summary>
/// <c>beamwire node</c>'s cluster flags: one topology from the command line (<c>--strategy epmd --hosts
/// a@h,b@h</c>, <c>--strategy gossip --secret S</c>, <c>--strategy dns-poll --query Q --basename B</c>,
/// any key with <c>--cluster-config Key=Value</c>) or any number from <c>--topology FILE</c> (JSON in the
/// appsettings shape) and from appsettings.json's <c>Beamwire:Cluster</c> section.
/// </summary>
internal sealed class ClusterFlags
{
    private readonly Option<string> _strategy = new("--strategy") { Description = "Join a cluster with this libcluster strategy: epmd, local-epmd, erlang-hosts, gossip, dns-poll, kubernetes-dns, kubernetes-dns-srv", HelpName = "NAME" };
    private readonly Option<string> _hosts = new("--hosts") { Description = "epmd strategy: the nodes to connect, comma-separated (node1@h,node2@h)", HelpName = "NODES" };
    private readonly Option<string> _secret = new("--secret") { Description = "gossip strategy: seal heartbeats with this secret (libcluster's AES-256-CBC)", HelpName = "SECRET" };
    private readonly Option<string> _query = new("--query") { Description = "dns-poll strategy: the DNS name(s) whose A/AAAA records are the nodes' addresses", HelpName = "NAME" };
    private readonly Option<string> _basename = new("--basename") { Description = "dns-poll strategy: the nodes' name before '@' (default: this node's)", HelpName = "NAME" };
    private readonly Option<string[]> _set = new("--cluster-config") { Description = "Any key of the strategy's Config, repeatable: --cluster-config PollingInterval=1000", HelpName = "KEY=VALUE", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string> _topologyFile = new("--topology") { Description = "Topologies from a JSON file in the appsettings shape (Beamwire:Cluster:Topologies)", HelpName = "FILE" };
    private readonly Option<string> _topologyName = new("--topology-name") { Description = "The name of the --strategy topology in log lines ([libcluster:NAME]); default example", HelpName = "NAME" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _strategy, _hosts, _secret, _query, _basename, _set, _topologyFile, _topologyName }) command.Add(o);
    }

    /// <summary>The topologies this command line and appsettings.json ask for (validated), or null for none.</summary>
    public ClusterOptions? Read(ParseResult result, string? appsettings)
    {
        var options = new ClusterOptions();
        try
        {
            if (appsettings is not null && File.Exists(appsettings))
                ClusterConfiguration.Read(new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(appsettings), optional: false).Build(), options);
            if (result.GetValue(_topologyFile) is { } file)
            {
                if (!File.Exists(file)) throw new CliException(ExitCodes.Usage, $"--topology {file}: no such file");
                ClusterConfiguration.Read(new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file), optional: false).Build(), options);
            }

            if (result.GetValue(_strategy) is { } strategy)
                options.Topologies[result.GetValue(_topologyName) ?? "example"] = FromFlags(result, strategy);
            else if (Given(result, _hosts, _secret, _query, _basename, _set) is { } orphan)
                throw new CliException(ExitCodes.Usage, $"{orphan} needs --strategy");

            if (options.Topologies.Count == 0) return null;
            ClusterService.ValidateOptions(options);
            return options;
        }
        catch (ClusterConfigurationException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw new CliException(ExitCodes.Config, $"cannot read topologies: {e.Message}");
        }
    }

    private TopologyOptions FromFlags(ParseResult result, string strategy)
    {
        var t = new TopologyOptions { Strategy = strategy };
        void Put(Option<string> o, string key)
        {
            if (result.GetValue(o) is { } v) t.Config[key] = v;
        }

        Put(_hosts, "Hosts");
        Put(_secret, "Secret");
        Put(_query, "Query");
        Put(_basename, "NodeBasename");
        foreach (var kv in result.GetValue(_set) ?? [])
        {
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new CliException(ExitCodes.Usage, $"--cluster-config '{kv}': give KEY=VALUE, e.g. PollingInterval=1000");
            t.Config[kv[..eq]] = kv[(eq + 1)..];
        }

        return t;
    }

    private static string? Given(ParseResult result, params Option[] options) =>
        options.FirstOrDefault(o => result.GetResult(o) is { Implicit: false })?.Name;
}
