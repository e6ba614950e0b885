using Beamwire.Node.Connection;
using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// The node's <see cref="IControlHandler"/>: delivers SEND, SEND_SENDER, REG_SEND and ALIAS_SEND (and
/// their _TT forms) to local processes, and hands every process signal (links, UNLINK_ID and its ack,
/// exits, monitors, spawn requests and replies) to the <see cref="SignalHandler"/>.
/// </summary>
internal sealed class ControlDispatcher : IControlHandler
{
    private readonly ProcessTable _processes;
    private readonly ErlangAtom _self;
    private readonly SignalHandler _signals;

    public ControlDispatcher(ProcessTable processes, ErlangAtom self, SignalHandler signals)
    {
        _processes = processes;
        _self = self;
        _signals = signals;
    }

    public void Handle(DistConnection connection, ControlMessage control, ErlangTerm? payload)
    {
        switch (control)
        {
            case SendControl send:
                if (ReferenceEquals(send.To.Node, _self)) _processes.Lookup(send.To)?.Deliver(ControlShape.Payload(payload, send.Op));
                break;
            case RegSendControl reg:
                _processes.Whereis(reg.ToName)?.Deliver(ControlShape.Payload(payload, reg.Op));
                break;
            case AliasSendControl alias:
                _processes.LookupAlias(alias.Alias)?.Deliver(ControlShape.Payload(payload, alias.Op));
                break;
            case NodeLinkControl:
                break;
            default:
                _signals.Handle(connection, control);
                break;
        }
    }
}
