using Beamwire.Node;

namespace Beamwire.Cli.Commands.Common;

/// <summary>Reads a node name as people type it: <c>node1@host</c>, <c>:"node1@host"</c>, <c>'node1@host'</c>, or a bare <c>node1</c> (this host).</summary>
internal static class TargetNode
{
    public static NodeName Parse(string text)
    {
        var s = text.Trim();
        if (s.StartsWith(':')) s = s[1..];
        if (s.Length >= 2 && (s[0] == '"' && s[^1] == '"' || s[0] == '\'' && s[^1] == '\'')) s = s[1..^1];
        if (!s.Contains('@', StringComparison.Ordinal)) s += "@" + ShortHost();
        return NodeName.TryParse(s, out var name)
            ? name
            : throw new CliException(ExitCodes.Usage, $"'{text}' is not a node name (alive@host)");
    }

    /// <summary>This machine's short host name, as erl uses it for -sname.</summary>
    public static string ShortHost()
    {
        var name = System.Net.Dns.GetHostName();
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[..dot];
    }
}
