using Beamwire.Node.Connection;
using Beamwire.Node.Processes;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Control;

/// <summary>
/// The node's <see cref="IControlHandler"/>: delivers SEND, SEND_SENDER, REG_SEND and ALIAS_SEND (and
/// their _TT forms) to local processes; answers UNLINK_ID with UNLINK_ID_ACK (DFLAG_UNLINK_ID requires
/// it, and with no links there is nothing else to undo); answers a monitor of a process that does not
/// exist with <c>noproc</c> as the BEAM does; logs every other kind as unhandled until the process model
/// (links, monitors, exits, spawn) takes them over.
/// </summary>
internal sealed class ControlDispatcher : IControlHandler
{
    private static readonly ErlangAtom NoProc = ErlangAtom.Get("noproc");
    private readonly ProcessTable _processes;
    private readonly ErlangAtom _self;

    public ControlDispatcher(ProcessTable processes, ErlangAtom self)
    {
        _processes = processes;
        _self = self;
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
            case UnlinkIdControl { Op: ControlOp.UnlinkId } unlink:
                connection.SendUnlinkIdAck(unlink.Id, unlink.To, unlink.From);
                DispatchLog.UnlinkAcknowledged(connection.Logger, unlink.Id, unlink.From, unlink.To);
                break;
            case MonitorControl { Op: ControlOp.MonitorP } monitor when !Exists(monitor.Target):
                SendNoProc(connection, monitor);
                break;
            case NodeLinkControl:
                break;
            default:
                connection.LogUnhandled(control, "links, monitors, exits and spawn arrive with the process model");
                break;
        }
    }

    private bool Exists(ErlangTerm target) => target switch
    {
        ErlangPid pid => _processes.Lookup(pid) is not null,
        ErlangAtom name => _processes.Whereis(name) is not null,
        _ => false,
    };

    private static void SendNoProc(DistConnection connection, MonitorControl monitor)
    {
        // {21, FromProc, ToPid, Ref, noproc}, or the PAYLOAD_MONITOR_P_EXIT form when EXIT_PAYLOAD is in use.
        var payloadForm = (connection.Flags & Handshake.DistributionFlags.ExitPayload) != 0;
        connection.Enqueue(
            (monitor, payloadForm),
            static (OutboundBuffer b, in (MonitorControl M, bool Payload) s) =>
            {
                ControlEncoding.TupleHeader(b, s.Payload ? 4 : 5);
                ControlEncoding.SmallInteger(b, (byte)(s.Payload ? ControlOp.PayloadMonitorPExit : ControlOp.MonitorPExit));
                ControlEncoding.Term(b, s.M.Target);
                ControlEncoding.Pid(b, s.M.From);
                ControlEncoding.Term(b, s.M.Ref);
                if (!s.Payload) ControlEncoding.Atom(b, NoProc);
            },
            payloadForm ? NoProc : null);
    }
}

internal static partial class DispatchLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "UNLINK_ID {Id} from {From} to {To} acknowledged (no link to remove)")]
    public static partial void UnlinkAcknowledged(ILogger logger, ulong id, ErlangPid from, ErlangPid to);
}
