using Beamwire.Cluster.Configuration;
using Beamwire.Node;

namespace Beamwire.Cluster.Strategies;

/// <summary>Validation shared by strategies that take node names or name parts.</summary>
internal static class StrategyParsing
{
    public static IReadOnlyList<string> NodeNames(StrategyConfig config, string key)
    {
        var names = config.List(key);
        foreach (var n in names)
        {
            var bare = n.TrimStart(':').Trim('"');
            if (!NodeName.TryParse(bare, out _))
                throw new ClusterConfigurationException($"{config.PathOf(key)} = '{n}' is not a node name: give name@host, e.g. node1@node1 or app@10.0.0.5");
        }

        return names.Select(n => n.TrimStart(':').Trim('"')).ToList();
    }

    /// <summary>The part before '@': letters, digits, '_' and '-' as Erlang's <c>-sname</c> takes them.</summary>
    public static string? Basename(StrategyConfig config, string key)
    {
        var b = config.Text(key);
        if (b is null) return null;
        if (b.Contains('@', StringComparison.Ordinal) || b.Any(char.IsWhiteSpace))
            throw new ClusterConfigurationException($"{config.PathOf(key)} = '{b}' is not a node basename: give the part before '@', e.g. app");
        return b;
    }

    public static string Alive(string self) => self[..self.IndexOf('@', StringComparison.Ordinal)];

    public static string Host(string self) => self[(self.IndexOf('@', StringComparison.Ordinal) + 1)..];
}
