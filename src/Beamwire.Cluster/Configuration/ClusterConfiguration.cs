using Microsoft.Extensions.Configuration;

namespace Beamwire.Cluster.Configuration;

/// <summary>
/// Reads <c>Beamwire:Cluster:Topologies:&lt;name&gt;:Strategy</c> and <c>...:Config:&lt;Key&gt;</c> (appsettings.json,
/// environment variables <c>Beamwire__Cluster__Topologies__example__Strategy</c>, command-line) into
/// <see cref="ClusterOptions"/>. Arrays (<c>"Hosts": ["a@h", "b@h"]</c>) become comma-separated values.
/// </summary>
public static class ClusterConfiguration
{
    public static ClusterOptions Read(IConfiguration configuration, ClusterOptions? into = null)
    {
        var options = into ?? new ClusterOptions();
        var section = configuration.GetSection(ClusterOptions.SectionName);
        foreach (var key in section.GetChildren())
        {
            if (!key.Key.Equals("Topologies", StringComparison.OrdinalIgnoreCase))
                throw new ClusterConfigurationException($"{ClusterOptions.SectionName}:{key.Key} is not a cluster setting: allowed is Topologies");
        }

        foreach (var topology in section.GetSection("Topologies").GetChildren())
        {
            var path = $"{ClusterOptions.SectionName}:Topologies:{topology.Key}";
            var t = new TopologyOptions();
            foreach (var child in topology.GetChildren())
            {
                if (child.Key.Equals("Strategy", StringComparison.OrdinalIgnoreCase)) t.Strategy = child.Value ?? "";
                else if (child.Key.Equals("Config", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var c in child.GetChildren()) t.Config[c.Key] = ValueOf(c, $"{path}:Config:{c.Key}");
                }
                else
                {
                    throw new ClusterConfigurationException($"{path}:{child.Key} is not a topology setting: allowed are Strategy and Config");
                }
            }

            options.Topologies[topology.Key] = t;
        }

        return options;
    }

    private static string ValueOf(IConfigurationSection c, string path)
    {
        if (c.Value is not null) return c.Value;
        var items = new List<string>();
        foreach (var item in c.GetChildren())
        {
            if (item.Value is null)
                throw new ClusterConfigurationException($"{path}:{item.Key} is nested too deep: a config value is a string, a number or a list of them");
            items.Add(item.Value);
        }

        return string.Join(',', items);
    }
}
