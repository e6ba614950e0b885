using System.Globalization;
using System.Net;

namespace Beamwire.Cluster.Configuration;

/// <summary>
/// A topology's <c>Config</c> read with validation: every getter names the full key
/// (<c>Beamwire:Cluster:Topologies:example:Config:PollingInterval</c>), the value and what is allowed
/// when the value is bad; <see cref="RejectUnknownKeys"/> refuses keys no getter asked for.
/// </summary>
public sealed class StrategyConfig
{
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

    public StrategyConfig(string topology, string strategy, IReadOnlyDictionary<string, string> values)
    {
        Topology = topology;
        Strategy = strategy;
        _values = values;
    }

    public string Topology { get; }

    public string Strategy { get; }

    /// <summary>The configuration path of a key, for messages.</summary>
    public string PathOf(string key) => $"{ClusterOptions.SectionName}:Topologies:{Topology}:Config:{key}";

    public string? Text(string key)
    {
        _read.Add(key);
        return _values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
    }

    public string RequiredString(string key, string what)
    {
        return Text(key) ?? throw new ClusterConfigurationException($"{PathOf(key)} is required by the {Strategy} strategy: {what}");
    }

    /// <summary>A comma-separated list (configuration arrays arrive joined the same way).</summary>
    public IReadOnlyList<string> List(string key)
    {
        var s = Text(key);
        if (s is null) return [];
        return s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>A duration: milliseconds as libcluster takes them (<c>5000</c>), or <c>5s</c>, <c>250ms</c>, <c>1m</c>, or <c>00:00:05</c>.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback, TimeSpan? min = null)
    {
        var s = Text(key);
        if (s is null) return fallback;
        if (!TryDuration(s, out var d) || d < (min ?? TimeSpan.Zero))
            throw new ClusterConfigurationException(
                $"{PathOf(key)} = '{s}' is not a valid duration: give milliseconds (5000), 5s, 250ms, 1m or hh:mm:ss{(min is { } m ? $", at least {m.TotalMilliseconds} ms" : "")}");
        return d;
    }

    /// <summary>Like <see cref="Duration"/>, but <c>infinity</c> (libcluster's default for <c>timeout</c>) gives null.</summary>
    public TimeSpan? OptionalDuration(string key, TimeSpan? min = null)
    {
        var s = Text(key);
        if (s is null || s.Equals("infinity", StringComparison.OrdinalIgnoreCase)) return null;
        return Duration(key, TimeSpan.Zero, min);
    }

    public int Number(string key, int fallback, int min, int max)
    {
        var s = Text(key);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new ClusterConfigurationException($"{PathOf(key)} = '{s}' is not allowed: give a whole number from {min} to {max}");
        return v;
    }

    public bool Bool(string key, bool fallback)
    {
        var s = Text(key);
        if (s is null) return fallback;
        if (bool.TryParse(s, out var b)) return b;
        throw new ClusterConfigurationException($"{PathOf(key)} = '{s}' is not allowed: give true or false");
    }

    public IPAddress Address(string key, IPAddress fallback)
    {
        var s = Text(key);
        if (s is null) return fallback;
        // libcluster also takes Erlang tuples: {233,252,1,32}.
        var text = s.StartsWith('{') && s.EndsWith('}') ? s[1..^1].Replace(',', '.') : s;
        if (IPAddress.TryParse(text, out var a)) return a;
        throw new ClusterConfigurationException($"{PathOf(key)} = '{s}' is not an IP address: give one like 233.252.1.32 or {{233,252,1,32}}");
    }

    /// <summary>One of a fixed set of words, compared without case.</summary>
    public string Choice(string key, string fallback, params string[] allowed)
    {
        var s = Text(key);
        if (s is null) return fallback;
        foreach (var a in allowed)
            if (a.Equals(s, StringComparison.OrdinalIgnoreCase)) return a;
        throw new ClusterConfigurationException($"{PathOf(key)} = '{s}' is not allowed: give one of {string.Join(", ", allowed)}");
    }

    /// <summary>Fails on a key that nothing read: a typo must not silently become a default.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var key in _values.Keys)
        {
            if (_read.Contains(key)) continue;
            var allowed = _read.Order(StringComparer.Ordinal).ToList();
            throw new ClusterConfigurationException(
                $"{PathOf(key)} = '{_values[key]}' is not a key of the {Strategy} strategy: allowed keys are {string.Join(", ", allowed)}");
        }
    }

    internal static bool TryDuration(string s, out TimeSpan d)
    {
        d = default;
        var inv = CultureInfo.InvariantCulture;
        if (long.TryParse(s, NumberStyles.None, inv, out var ms)) { d = TimeSpan.FromMilliseconds(ms); return true; }
        if (s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) && double.TryParse(s[..^2], NumberStyles.Float, inv, out var a) && a >= 0) { d = TimeSpan.FromMilliseconds(a); return true; }
        if (s.EndsWith('s') && double.TryParse(s[..^1], NumberStyles.Float, inv, out var b) && b >= 0) { d = TimeSpan.FromSeconds(b); return true; }
        if (s.EndsWith('m') && double.TryParse(s[..^1], NumberStyles.Float, inv, out var c) && c >= 0) { d = TimeSpan.FromMinutes(c); return true; }
        return s.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(s, inv, out d) && d >= TimeSpan.Zero;
    }
}
