using System.Globalization;
using System.Net;
using Beamwire.Epmd;
using Beamwire.Node;
using Microsoft.Extensions.Configuration;

namespace Beamwire.Hosting.Configuration;

/// <summary>
/// The keys of the <c>Beamwire</c> configuration section that set <see cref="BeamNodeOptions"/>, each with
/// its parser. A value is checked when it is read, so a bad one stops the host with a message naming the
/// key, the value and what the key takes. The binder is not used here: the options hold types it cannot
/// bind (an <see cref="IPAddress"/>, read-only collections with defaults it would append to), and its
/// errors name neither the allowed values nor, for unknown keys, the known ones.
/// </summary>
internal static class NodeSettingKeys
{
    /// <summary>Sections beside the node's keys that other parts of Beamwire read (the cluster's topologies).</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Cluster" };

    private sealed record Key(string Name, string Takes, Action<BeamNodeOptions, IConfigurationSection> Apply);

    private static readonly Key[] Keys =
    [
        Text("Name", (o, v) => o.Name = v),
        Enum<NodeNameMode>("NameMode", (o, v) => o.NameMode = v),
        Text("Cookie", (o, v) => o.Cookie = v),
        Text("CookieFile", (o, v) => o.CookieFile = v),
        Text("CookieHome", (o, v) => o.CookieHome = v),
        Bool("Hidden", (o, v) => o.Hidden = v),
        new("ListenAddress", "an IP address (0.0.0.0, ::, 127.0.0.1 ...)", (o, s) => o.ListenAddress = Parse(s, "an IP address", v => IPAddress.TryParse(v, out var a) ? a : null)),
        Int("ListenPort", (o, v) => o.ListenPort = v),
        Int("ListenPortMin", (o, v) => o.ListenPortMin = v),
        Int("ListenPortMax", (o, v) => o.ListenPortMax = v),
        Enum<EpmdMode>("Epmd", (o, v) => o.Epmd = v),
        Enum<EpmdAutoStartMode>("EpmdAutoStartMode", (o, v) => o.EpmdAutoStartMode = v),
        Text("EpmdHost", (o, v) => o.EpmdHost = v),
        Int("EpmdPort", (o, v) => o.EpmdPort = v),
        Int("PeerPort", (o, v) => o.PeerPort = v),
        Duration("NetTickTime", (o, v) => o.NetTickTime = v),
        Duration("HandshakeTimeout", (o, v) => o.HandshakeTimeout = v),
        new("SendQueueLimit", "a whole number of bytes", (o, s) => o.SendQueueLimit = Parse(s, "a whole number of bytes", v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (long?)null)),
        Duration("ReceiveCoalescing", (o, v) => o.ReceiveCoalescing = v),
        Int("MaxMessageSize", (o, v) => o.MaxMessageSize = v),
        List("AllowedNodes", (o, v) => o.AllowedNodes = v),
        Bool("ConnectAll", (o, v) => o.ConnectAll = v),
        Bool("PreventOverlappingPartitions", (o, v) => o.PreventOverlappingPartitions = v),
        List("PgScopes", (o, v) => o.PgScopes = v),
    ];

    /// <summary>The keys this section takes, in the order they are documented.</summary>
    public static IEnumerable<string> Names => Keys.Select(k => k.Name);

    /// <summary>Sets <paramref name="options"/> from <paramref name="section"/>; throws <see cref="BeamwireConfigurationException"/> on an unknown key or bad value.</summary>
    public static void Apply(IConfigurationSection section, BeamNodeOptions options)
    {
        foreach (var child in section.GetChildren())
        {
            if (Reserved.Contains(child.Key)) continue;
            if (child.Value is null && !child.GetChildren().Any()) continue; // present but unset (a null override): the default stands
            var key = Array.Find(Keys, k => string.Equals(k.Name, child.Key, StringComparison.OrdinalIgnoreCase))
                ?? throw new BeamwireConfigurationException(child.Path, child.Value,
                    $"is not a Beamwire node setting; the keys are {string.Join(", ", Names)} (and the Cluster section)");
            key.Apply(options, child);
        }
    }

    private static Key Text(string name, Action<BeamNodeOptions, string> set) =>
        new(name, "text", (o, s) => set(o, s.Value ?? throw new BeamwireConfigurationException(s.Path, null, "takes text, not a section")));

    private static Key Bool(string name, Action<BeamNodeOptions, bool> set) =>
        new(name, "true or false", (o, s) => set(o, Parse(s, "true or false", v => bool.TryParse(v, out var b) ? b : (bool?)null)));

    private static Key Int(string name, Action<BeamNodeOptions, int> set) =>
        new(name, "a whole number", (o, s) => set(o, Parse(s, "a whole number", v => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : (int?)null)));

    private static Key Duration(string name, Action<BeamNodeOptions, TimeSpan> set) =>
        new(name, "a duration (00:01:00, or 60s, 500ms, 100us)", (o, s) => set(o, Parse(s, "a duration (00:01:00, or 60s, 500ms, 100us)", DurationText.TryParse)));

    private static Key Enum<T>(string name, Action<BeamNodeOptions, T> set) where T : struct, System.Enum
    {
        var allowed = $"one of {string.Join(", ", System.Enum.GetNames<T>())}";
        return new(name, allowed, (o, s) => set(o, Parse(s, allowed, v =>
            !int.TryParse(v, out _) && System.Enum.TryParse<T>(v, ignoreCase: true, out var e) && System.Enum.IsDefined(e) ? e : (T?)null)));
    }

    /// <summary>A list: array entries (<c>Key:0</c>, <c>Key:1</c> ...) or one comma-separated value; replaces the default.</summary>
    private static Key List(string name, Action<BeamNodeOptions, IReadOnlyCollection<string>> set) =>
        new(name, "a list of names", (o, s) =>
        {
            var items = s.Value is { } single
                ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : s.GetChildren().Select(c => c.Value ?? throw new BeamwireConfigurationException(c.Path, null, "takes a name, not a section")).ToArray();
            set(o, items);
        });

    private static T Parse<T>(IConfigurationSection s, string takes, Func<string, T?> parse) where T : struct
    {
        if (s.Value is { } v && parse(v.Trim()) is { } result) return result;
        throw new BeamwireConfigurationException(s.Path, s.Value, $"takes {takes}");
    }

    private static T Parse<T>(IConfigurationSection s, string takes, Func<string, T?> parse) where T : class
    {
        if (s.Value is { } v && parse(v.Trim()) is { } result) return result;
        throw new BeamwireConfigurationException(s.Path, s.Value, $"takes {takes}");
    }
}
