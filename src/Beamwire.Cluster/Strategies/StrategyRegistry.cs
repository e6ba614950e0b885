namespace Beamwire.Cluster.Strategies;

/// <summary>The strategies a <c>Strategy</c> value may name: the built-in ones plus any registered.</summary>
public static class StrategyRegistry
{
    private static readonly Dictionary<string, StrategyDescriptor> Known = new(StringComparer.OrdinalIgnoreCase);

    static StrategyRegistry()
    {
        foreach (var d in new[]
                 {
                     EpmdStrategy.Descriptor, LocalEpmdStrategy.Descriptor, ErlangHostsStrategy.Descriptor,
                     DnsPollStrategy.Descriptor, KubernetesDnsStrategy.Descriptor, KubernetesDnsSrvStrategy.Descriptor,
                     GossipStrategy.Descriptor,
                 })
            Known[d.Name] = d;
    }

    /// <summary>Adds a custom strategy (one class implementing <see cref="IClusterStrategy"/>).</summary>
    public static void Register(StrategyDescriptor descriptor)
    {
        lock (Known) Known[descriptor.Name] = descriptor;
    }

    public static IReadOnlyList<string> Names
    {
        get { lock (Known) return Known.Keys.Order(StringComparer.Ordinal).ToList(); }
    }

    /// <summary>
    /// The descriptor for a <c>Strategy</c> value; libcluster's module names
    /// (<c>Cluster.Strategy.Epmd</c>, <c>Elixir.Cluster.Strategy.DNSPoll</c>) and kebab-case CLI names also match.
    /// </summary>
    public static bool TryGet(string name, out StrategyDescriptor descriptor)
    {
        var n = Normalize(name);
        lock (Known)
        {
            foreach (var (k, d) in Known)
                if (string.Equals(Normalize(k), n, StringComparison.OrdinalIgnoreCase)) { descriptor = d; return true; }
        }

        descriptor = null!;
        return false;
    }

    private static string Normalize(string name)
    {
        var n = name.Trim();
        if (n.StartsWith("Elixir.", StringComparison.Ordinal)) n = n[7..];
        if (n.StartsWith("Cluster.Strategy.", StringComparison.Ordinal)) n = n[17..];
        return n.Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
    }
}
