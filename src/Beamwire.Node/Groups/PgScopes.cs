using Beamwire.Node.Services;
using Beamwire.Terms;

namespace Beamwire.Node.Groups;

/// <summary>The pg scopes a node runs: those its options name, started with it, and any started later by name.</summary>
internal sealed class PgScopes(BeamNode node)
{
    private readonly object _gate = new();
    private volatile PgScope[] _scopes = [];

    /// <summary>The running scope of that name, started (registered, watcher spawned, peers discovered) if there is none.</summary>
    public PgScope GetOrStart(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var s in _scopes)
        {
            if (s.Name == name) return s;
        }

        lock (_gate)
        {
            foreach (var s in _scopes)
            {
                if (s.Name == name) return s;
            }

            var service = new PgService(node, name);
            service.Register();
            var scope = new PgScope(node, service);
            _scopes = [.. _scopes, scope];
            // Nodes that come up from here on are discovered through OnNodeUp; those already up, now.
            service.Start(node.Connections.Connections.Where(c => c.IsPublished).Select(c => c.PeerAtom));
            return scope;
        }
    }

    public void OnNodeUp(ErlangAtom peer)
    {
        foreach (var s in _scopes) s.Service.OnNodeUp(peer);
    }

    public void OnNodeDown(ErlangAtom peer)
    {
        foreach (var s in _scopes) s.Service.OnNodeDown(peer);
    }
}
