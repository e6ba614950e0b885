using System.Text.RegularExpressions;
using Beamwire.Cluster.Configuration;
using Beamwire.Cluster.Diagnostics;
using Beamwire.Epmd;

namespace Beamwire.Cluster.Strategies;

/// <summary>
/// libcluster's <c>Cluster.Strategy.ErlangHosts</c>: the hosts in <c>.hosts.erlang</c> (as
/// <c>net_adm:host_file/0</c> finds it: the working directory, then the home directory; or
/// <c>HostsFile</c>), and on each host every name its epmd lists. Re-read every <c>Timeout</c>
/// (libcluster's key; default 5 s here, libcluster reads once).
/// </summary>
public sealed partial class ErlangHostsStrategy(string? hostsFile, TimeSpan interval, int? epmdPort) : IClusterStrategy
{
    public static StrategyDescriptor Descriptor { get; } = new("ErlangHosts", c =>
        new ErlangHostsStrategy(c.Text("HostsFile"), c.OptionalDuration("Timeout", TimeSpan.FromMilliseconds(10)) ?? TimeSpan.FromSeconds(5),
            c.Text("EpmdPort") is null ? null : c.Number("EpmdPort", 4369, 1, 65535)));

    public async Task RunAsync(ITopologyContext context, CancellationToken cancellationToken)
    {
        var file = hostsFile ?? Find();
        if (file is null || !File.Exists(file))
        {
            ClusterLog.Warn(context.Logger, context.Topology, "couldn't find .hosts.erlang file - not joining cluster");
            return;
        }

        while (true)
        {
            var hosts = Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
            var found = new List<string>();
            var failed = false;
            foreach (var host in hosts)
            {
                try
                {
                    var names = await new EpmdClient(host, epmdPort).NamesAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var n in names) found.Add(n.Name + "@" + host);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One host down is a normal answer for that host; it is not a failed lookup of all.
                    ClusterLog.EpmdHostDown(context.Logger, context.Topology, host, e.Message);
                    failed = true;
                }
            }

            if (found.Count == 0 && failed) context.LookupFailed("epmd lookup on every host of " + file, "no epmd answered");
            else context.SetMembers(found);
            await Task.Delay(interval, context.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? Find()
    {
        var here = Path.Combine(Environment.CurrentDirectory, ".hosts.erlang");
        if (File.Exists(here)) return here;
        var home = Environment.GetEnvironmentVariable("HOME");
        return home is null ? null : Path.Combine(home, ".hosts.erlang");
    }

    /// <summary>The atoms of a <c>.hosts.erlang</c> file: <c>'host1'.</c> or <c>host2.</c>, one term each; <c>%</c> starts a comment.</summary>
    internal static List<string> Parse(string text)
    {
        var hosts = new List<string>();
        foreach (var term in TermEnd().Split(Comment().Replace(text, "")))
        {
            var t = term.Trim();
            if (t.Length > 1 && t[0] == '\'' && t[^1] == '\'') t = t[1..^1];
            if (t.Length > 0) hosts.Add(t);
        }

        return hosts;
    }

    [GeneratedRegex(@"%[^\n]*")]
    private static partial Regex Comment();

    // A term ends with a full stop followed by white space or the end of the file.
    [GeneratedRegex(@"\.(?:\s+|$)")]
    private static partial Regex TermEnd();
}
