using Beamwire.Node.Processes;
using Beamwire.Node.Services;
using Beamwire.Terms;

namespace Beamwire.Node.Groups;

/// <summary>
/// The process that holds a pg scope's monitors (local members, peer scopes, subscribers) and hands
/// each DOWN to the scope. The scope itself is a node service, which signals do not reach; pg's scope
/// process holds these monitors itself.
/// </summary>
internal sealed class PgWatcher(PgService scope) : BeamProcess
{
    /// <summary>Monitors <paramref name="pid"/>; once the node has stopped, only a reference that never fires.</summary>
    public ErlangReference Watch(ErlangPid pid)
    {
        try
        {
            return Monitor(pid);
        }
        catch (ProcessExitException)
        {
            return Node.MakeRef();
        }
    }

    public void Unwatch(ErlangReference monitor) => Demonitor(monitor, flush: false);

    protected override async Task RunAsync()
    {
        while (true)
        {
            var message = await ReceiveAsync().ConfigureAwait(false);
            if (message is ErlangTuple { Count: 5 } down && ReferenceEquals(down[0], ProcessAtoms.Down) &&
                down[1] is ErlangReference monitor && down[3] is ErlangPid pid)
            {
                scope.OnDown(monitor, pid);
            }
        }
    }
}
