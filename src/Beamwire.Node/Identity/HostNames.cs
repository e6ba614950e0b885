using System.Net;
using System.Net.Sockets;

namespace Beamwire.Node;

/// <summary>This machine's host name as erl derives it for <c>-sname</c> and <c>-name</c>.</summary>
internal static class HostNames
{
    /// <summary>The short host name: the machine name up to its first dot.</summary>
    public static string Short()
    {
        var name = Dns.GetHostName();
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[..dot];
    }

    /// <summary>
    /// The fully qualified host name (the resolver's canonical name). When the machine has no domain,
    /// erl refuses <c>-name x</c> too; we say what to do instead.
    /// </summary>
    public static string Long()
    {
        var name = Dns.GetHostName();
        if (name.Contains('.', StringComparison.Ordinal)) return name;
        try
        {
            var canonical = Dns.GetHostEntry(name).HostName;
            if (canonical.Contains('.', StringComparison.Ordinal)) return canonical;
        }
        catch (SocketException)
        {
            // Unresolvable: fall through to the explanation below.
        }

        throw new NodeNameException(
            $"Can't set long node name: host '{name}' has no domain. Give the full name, e.g. 'node1@{name}.example.com' or 'node1@127.0.0.1'.");
    }

    public static string ForMode(NodeNameMode mode) => mode == NodeNameMode.ShortNames ? Short() : Long();
}
