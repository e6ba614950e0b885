using Beamwire.Node.Processes;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Services;

/// <summary>
/// A registered process the node runs for its peers (net_kernel, global_name_server, rex, pg scopes).
/// Messages are handled as they arrive, on the delivering thread: every handler only decodes, answers
/// with non-blocking sends, and returns.
/// </summary>
internal abstract class ServiceProcess : IProcess
{
    protected ServiceProcess(BeamNode node, string name)
    {
        Node = node;
        Name = ErlangAtom.Get(name);
        Pid = node.Processes.NewPid();
        Logger = node.LoggerFactory.CreateLogger("Beamwire.Node.Services." + GetType().Name);
    }

    public ErlangPid Pid { get; }

    public ErlangAtom Name { get; }

    protected BeamNode Node { get; }

    protected ILogger Logger { get; }

    public void Deliver(ErlangTerm message)
    {
        try
        {
            Handle(message);
        }
#pragma warning disable CA1031 // A malformed message from a peer must not take the service down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ServiceLog.Failed(Logger, ex, Name.Name, message.ToString());
        }
    }

    protected abstract void Handle(ErlangTerm message);

    /// <summary>Registers under its name; called once at node start.</summary>
    public void Register()
    {
        Node.Processes.Add(this);
        if (!Node.Processes.Register(Name, this)) throw new InvalidOperationException($"The name {Name} is already registered.");
    }

    /// <summary>Replies to a gen call (to the caller's pid, see <see cref="GenMessages.TryParseCall"/>).</summary>
    protected void Reply(ErlangPid to, ErlangTerm tag, ErlangTerm reply) => Node.Router.SendNow(Pid, to, GenMessages.Reply(tag, reply));
}

internal static partial class ServiceLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "{Service} could not handle {Message}")]
    public static partial void Failed(ILogger logger, Exception exception, string service, string message);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "{Service} ignored {Message}")]
    public static partial void Ignored(ILogger logger, string service, object message);
}
