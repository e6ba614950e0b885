using System.Collections.Concurrent;

namespace Beamwire.Node;

/// <summary>
/// The node's cookie and the per-node overrides (<c>erlang:set_cookie/2</c>). The cookie for a peer is
/// both the one we prove with and the one we expect, as erl uses one cookie per peer for both directions.
/// </summary>
internal sealed class CookieJar
{
    private readonly ConcurrentDictionary<NodeName, string> _perNode = new();
    private volatile string _default;

    public CookieJar(string defaultCookie)
    {
        _default = CookieFile.Validate(defaultCookie, "options");
    }

    public string Default
    {
        get => _default;
        set => _default = CookieFile.Validate(value, "set_cookie");
    }

    public string For(NodeName node) => _perNode.TryGetValue(node, out var c) ? c : _default;

    public void Set(NodeName node, string cookie) => _perNode[node] = CookieFile.Validate(cookie, "set_cookie/2");

    public void Reset(NodeName node) => _perNode.TryRemove(node, out _);
}
