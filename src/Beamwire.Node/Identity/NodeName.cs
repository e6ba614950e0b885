using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Beamwire.Node;

/// <summary>
/// A full node name, <c>alive@host</c>. Equality is ordinal on the full text, as Erlang compares node atoms.
/// </summary>
public sealed class NodeName : IEquatable<NodeName>, IComparable<NodeName>
{
    /// <summary>Longest node name erl accepts (an atom is at most 255 characters).</summary>
    public const int MaxLength = 255;

    private NodeName(string alive, string host)
    {
        Alive = alive;
        Host = host;
        Full = alive + "@" + host;
        _hash = StringComparer.Ordinal.GetHashCode(Full);
    }

    // Every remote send looks its peer up by name: the hash is computed once.
    private readonly int _hash;

    /// <summary>The part before <c>@</c> (the name registered in epmd).</summary>
    public string Alive { get; }

    /// <summary>The part after <c>@</c>.</summary>
    public string Host { get; }

    /// <summary><c>alive@host</c>.</summary>
    public string Full { get; }

    /// <summary>True when the host is dotted or an IP address, i.e. the name belongs to long-name mode.</summary>
    public bool IsLongName => Host.Contains('.', StringComparison.Ordinal) || IPAddress.TryParse(Host, out _);

    /// <summary>Parses <c>alive@host</c>; throws <see cref="NodeNameException"/> saying what is wrong.</summary>
    public static NodeName Parse(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        if (!TryParse(fullName, out var name, out var error))
            throw new NodeNameException(error);
        return name;
    }

    /// <summary>Parses <c>alive@host</c> without throwing.</summary>
    public static bool TryParse(string? fullName, [NotNullWhen(true)] out NodeName? name) =>
        TryParse(fullName, out name, out _);

    private static bool TryParse(string? fullName, [NotNullWhen(true)] out NodeName? name, out string error)
    {
        name = null;
        if (string.IsNullOrEmpty(fullName))
        {
            error = "A node name must not be empty; use alive@host.";
            return false;
        }

        if (fullName.Length > MaxLength)
        {
            error = $"Node name '{Truncate(fullName)}' is longer than {MaxLength} characters.";
            return false;
        }

        var at = fullName.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || fullName.IndexOf('@', at + 1) >= 0)
        {
            error = $"Node name '{fullName}' must contain exactly one '@' (alive@host).";
            return false;
        }

        var alive = fullName[..at];
        var host = fullName[(at + 1)..];
        if (!IsValidAlive(alive))
        {
            error = $"Node name '{fullName}': the part before '@' must be 1 or more of A-Z a-z 0-9 _ - (as erl requires).";
            return false;
        }

        if (!IsValidHost(host))
        {
            error = $"Node name '{fullName}': the host part must be non-empty printable characters without spaces.";
            return false;
        }

        name = new NodeName(alive, host);
        error = "";
        return true;
    }

    /// <summary>Builds <c>alive@host</c> from parts, validating both.</summary>
    public static NodeName Create(string alive, string host) => Parse(alive + "@" + host);

    /// <summary>
    /// The name a node takes from options: a bare <paramref name="name"/> gets this machine's host name
    /// (short or fully qualified per <paramref name="mode"/>); a full name is checked against the mode.
    /// </summary>
    public static NodeName ForLocalNode(string name, NodeNameMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var full = name.Contains('@', StringComparison.Ordinal) ? name : name + "@" + HostNames.ForMode(mode);
        var parsed = Parse(full);
        parsed.EnsureMode(mode);
        return parsed;
    }

    /// <summary>
    /// Throws when this name cannot be used by a node in <paramref name="mode"/>: the same rule erl
    /// applies before connecting ("System NOT running to use fully qualified hostnames").
    /// </summary>
    public void EnsureMode(NodeNameMode mode)
    {
        if (!IsAllowedIn(mode, out var error))
            throw new NodeNameException(error);
    }

    /// <summary>Whether this name may be used by a node in <paramref name="mode"/>.</summary>
    public bool IsAllowedIn(NodeNameMode mode, out string error)
    {
        var dotted = Host.Contains('.', StringComparison.Ordinal);
        if (mode == NodeNameMode.ShortNames && dotted)
        {
            error = $"System NOT running to use fully qualified hostnames: hostname '{Host}' of {Full} is illegal in short-name mode.";
            return false;
        }

        if (mode == NodeNameMode.LongNames && !dotted && !IPAddress.TryParse(Host, out _))
        {
            error = $"System running to use fully qualified hostnames: hostname '{Host}' of {Full} is illegal in long-name mode.";
            return false;
        }

        error = "";
        return true;
    }

    private static bool IsValidAlive(string alive)
    {
        if (alive.Length == 0) return false;
        foreach (var c in alive)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-')) return false;
        }

        return true;
    }

    private static bool IsValidHost(string host)
    {
        if (host.Length == 0) return false;
        foreach (var c in host)
        {
            if (c <= ' ' || c == 0x7f) return false;
        }

        return true;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    public bool Equals(NodeName? other) => other is not null && (ReferenceEquals(this, other) || _hash == other._hash && string.Equals(Full, other.Full, StringComparison.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as NodeName);

    public override int GetHashCode() => _hash;

    /// <summary>Ordinal comparison of the full names, the order the simultaneous-connect tie-break uses.</summary>
    public int CompareTo(NodeName? other) => other is null ? 1 : string.CompareOrdinal(Full, other.Full);

    public static bool operator ==(NodeName? left, NodeName? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(NodeName? left, NodeName? right) => !(left == right);

    public static bool operator <(NodeName left, NodeName right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator >(NodeName left, NodeName right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator <=(NodeName left, NodeName right) => !(left > right);

    public static bool operator >=(NodeName left, NodeName right) => !(left < right);

    public static implicit operator string(NodeName name) => name?.Full ?? "";

    public override string ToString() => Full;
}
