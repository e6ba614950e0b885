using Beamwire.Node.Connection;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>Maps a decoded control tuple to its typed <see cref="ControlMessage"/>.</summary>
internal static class ControlDecoder
{
    public static ControlMessage Decode(ErlangTerm control, ErlangTerm? payload)
    {
        if (control is not ErlangTuple { Count: > 0 } t || t[0] is not ErlangInteger { Value: >= 0 and <= 255 } opTerm)
            throw new DistributionProtocolException($"A control message must be a tuple starting with a small integer, got {Truncate(control)}.");
        var op = (ControlOp)opTerm.Value;
        return op switch
        {
            ControlOp.Send or ControlOp.SendTT or ControlOp.SendSender or ControlOp.SendSenderTT => SendControl.Decode(op, t),
            ControlOp.RegSend or ControlOp.RegSendTT => RegSendControl.Decode(op, t),
            ControlOp.AliasSend or ControlOp.AliasSendTT => AliasSendControl.Decode(op, t),
            ControlOp.Link => LinkControl.Decode(t),
            ControlOp.Unlink => UnlinkControl.Decode(t),
            ControlOp.UnlinkId or ControlOp.UnlinkIdAck => UnlinkIdControl.Decode(op, t),
            ControlOp.Exit or ControlOp.ExitTT or ControlOp.PayloadExit or ControlOp.PayloadExitTT => ExitControl.Decode(op, t, payload),
            ControlOp.Exit2 or ControlOp.Exit2TT or ControlOp.PayloadExit2 or ControlOp.PayloadExit2TT => Exit2Control.Decode(op, t, payload),
            ControlOp.MonitorP or ControlOp.DemonitorP => MonitorControl.Decode(op, t),
            ControlOp.MonitorPExit or ControlOp.PayloadMonitorPExit => MonitorExitControl.Decode(op, t, payload),
            ControlOp.GroupLeader => GroupLeaderControl.Decode(t),
            ControlOp.NodeLink => NodeLinkControl.Decode(t),
            ControlOp.SpawnRequest or ControlOp.SpawnRequestTT => SpawnRequestControl.Decode(op, t, payload),
            ControlOp.SpawnReply or ControlOp.SpawnReplyTT => SpawnReplyControl.Decode(op, t),
            _ => throw new DistributionProtocolException($"Unknown control message op {(int)op}."),
        };
    }

    private static string Truncate(ErlangTerm term)
    {
        var s = term.ToString();
        return s.Length <= 80 ? s : s[..80] + "...";
    }
}
