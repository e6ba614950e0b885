using Beamwire.Node.Services;
using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// An Erlang group leader (io server) whose output goes to a callback: pass its <see cref="Pid"/> as the
/// group leader of an rpc (<see cref="BeamNode.RpcAsync(string, string, string, IReadOnlyList{ErlangTerm}, ErlangPid, TimeSpan?, CancellationToken)"/>)
/// and what the remote code prints with <c>io:format</c> arrives here, as it appears on the caller's
/// terminal with erl. Every io request is answered; input requests get <c>eof</c>. Create it with
/// <see cref="BeamNode.CreateGroupLeader"/>; disposing it unregisters the pid (later requests fail as to a dead process).
/// </summary>
public sealed class GroupLeader : IDisposable
{
    private readonly BeamNode _node;
    private readonly IoServer _server;

    internal GroupLeader(BeamNode node, Action<string> write)
    {
        _node = node;
        _server = new IoServer(node, write);
        node.Processes.Add(_server);
    }

    /// <summary>The group leader's pid.</summary>
    public ErlangPid Pid => _server.Pid;

    public void Dispose() => _node.Processes.Remove(_server);
}
