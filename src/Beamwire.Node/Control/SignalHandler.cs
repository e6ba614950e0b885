using Beamwire.Node.Connection;
using Beamwire.Node.Processes;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Control;

/// <summary>
/// Process signals from peers, applied to local processes as the BEAM applies them: LINK, UNLINK_ID (acked
/// before anything else goes back), UNLINK_ID_ACK, EXIT/EXIT2 and their PAYLOAD forms, MONITOR_P,
/// DEMONITOR_P, MONITOR_P_EXIT, GROUP_LEADER, and remote spawn (SPAWN_REQUEST/SPAWN_REPLY). Runs on the
/// connection's read loop: every step is a non-blocking call into a process or an enqueue.
/// </summary>
internal sealed class SignalHandler
{
    private readonly BeamNode _node;
    private readonly ProcessTable _processes;
    private readonly SignalRouter _signals;

    public SignalHandler(BeamNode node)
    {
        _node = node;
        _processes = node.Processes;
        _signals = node.Signals;
    }

    public void Handle(DistConnection connection, ControlMessage control)
    {
        switch (control)
        {
            case LinkControl link:
                _signals.SendLink(link.From, link.To);
                break;
            case UnlinkIdControl { Op: ControlOp.UnlinkId } unlink:
                Local(unlink.To)?.OnUnlinkId(unlink.From);
                connection.SendUnlinkIdAck(unlink.Id, unlink.To, unlink.From); // DFLAG_UNLINK_ID: always, and first
                SignalLog.UnlinkAcknowledged(connection.Logger, unlink.Id, unlink.From, unlink.To);
                break;
            case UnlinkIdControl ack:
                Local(ack.To)?.OnUnlinkAck(ack.Id, ack.From);
                break;
            case UnlinkControl unlink:
                Local(unlink.To)?.OnUnlinkId(unlink.From); // the old protocol has no ack
                break;
            case ExitControl exit:
                Local(exit.To)?.OnLinkExit(exit.From, exit.Reason);
                break;
            case Exit2Control exit2:
                Local(exit2.To)?.OnExit2(exit2.From, exit2.Reason);
                break;
            case MonitorControl { Op: ControlOp.MonitorP } monitor:
                _signals.SendMonitor(monitor.From, monitor.Target, _node.SelfAtom, monitor.Ref);
                break;
            case MonitorControl demonitor:
                _signals.SendDemonitor(demonitor.From, demonitor.Target, _node.SelfAtom, demonitor.Ref);
                break;
            case MonitorExitControl down:
                Local(down.To)?.OnDown(down.Ref, down.Reason);
                break;
            case GroupLeaderControl gl:
                if (Local(gl.To) is { } p) p.GroupLeader = gl.From;
                break;
            case SpawnRequestControl request:
                _node.RemoteSpawn.OnRequest(connection, request);
                break;
            case SpawnReplyControl reply:
                Local(reply.To)?.OnSpawnReply(reply.ReqId, reply.Flags, reply.Result);
                break;
            default:
                connection.LogUnhandled(control, "not a process signal Beamwire knows");
                break;
        }
    }

    private LocalProcess? Local(ErlangPid pid) => _processes.Lookup(pid) as LocalProcess;
}

internal static partial class SignalLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "UNLINK_ID {Id} from {From} to {To} acknowledged")]
    public static partial void UnlinkAcknowledged(ILogger logger, ulong id, ErlangPid from, ErlangPid to);
}
