using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>
/// Something with a pid that messages can be delivered to: a <see cref="Mailbox"/>, or one of the
/// node's services (net_kernel, global_name_server, rex ...). The seam the full process model (links,
/// monitors, gen_server) grows from.
/// </summary>
internal interface IProcess
{
    ErlangPid Pid { get; }

    /// <summary>Delivers one message. Called from connection read loops: must not block.</summary>
    void Deliver(ErlangTerm message);
}
