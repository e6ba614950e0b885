using Beamwire.Node;

namespace Beamwire.Hosting.Configuration;

/// <summary>
/// The variables an Elixir release reads, so deployment scripts written for Elixir nodes configure Beamwire
/// nodes too: <c>RELEASE_NODE</c> (the node name), <c>RELEASE_COOKIE</c> and <c>RELEASE_DISTRIBUTION</c>
/// (<c>sname</c>, the default; <c>name</c>; <c>none</c>: no node is started).
/// </summary>
public sealed record ReleaseEnvironment(string? Node, string? Cookie, NodeNameMode? NameMode, bool DistributionEnabled)
{
    public const string NodeVariable = "RELEASE_NODE";
    public const string CookieVariable = "RELEASE_COOKIE";
    public const string DistributionVariable = "RELEASE_DISTRIBUTION";

    /// <summary>Reads the variables through <paramref name="get"/> (the host's configuration, or the process environment).</summary>
    public static ReleaseEnvironment Read(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var distribution = NonEmpty(get(DistributionVariable));
        NodeNameMode? mode = distribution?.ToLowerInvariant() switch
        {
            null => null,
            "sname" => NodeNameMode.ShortNames,
            "name" => NodeNameMode.LongNames,
            "none" => null,
            _ => throw new BeamwireConfigurationException(DistributionVariable, distribution, "takes sname, name or none"),
        };
        return new ReleaseEnvironment(NonEmpty(get(NodeVariable)), NonEmpty(get(CookieVariable)), mode,
            !string.Equals(distribution, "none", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Sets what the variables give; the <c>Beamwire</c> section and code set later, so they win.</summary>
    public void ApplyTo(BeamNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Node is not null) options.Name = Node;
        if (Cookie is not null) options.Cookie = Cookie;
        if (NameMode is { } mode) options.NameMode = mode;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
