using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// One decoded control message. Each kind is its own type in this folder, with its decoder (and its
/// encoder where Beamwire sends it) beside it; <see cref="ControlDecoder"/> picks the type by op.
/// </summary>
internal abstract record ControlMessage(ControlOp Op)
{
    /// <summary>The sequential-trace token of the *_TT variants, else null.</summary>
    public ErlangTerm? TraceToken { get; init; }

    /// <summary>The kind's name as the protocol documents it, for log lines.</summary>
    public string Name => Op switch
    {
        ControlOp.SendTT => "SEND_TT",
        ControlOp.ExitTT => "EXIT_TT",
        ControlOp.RegSendTT => "REG_SEND_TT",
        ControlOp.Exit2TT => "EXIT2_TT",
        ControlOp.MonitorP => "MONITOR_P",
        ControlOp.DemonitorP => "DEMONITOR_P",
        ControlOp.MonitorPExit => "MONITOR_P_EXIT",
        ControlOp.SendSender => "SEND_SENDER",
        ControlOp.SendSenderTT => "SEND_SENDER_TT",
        ControlOp.PayloadExit => "PAYLOAD_EXIT",
        ControlOp.PayloadExitTT => "PAYLOAD_EXIT_TT",
        ControlOp.PayloadExit2 => "PAYLOAD_EXIT2",
        ControlOp.PayloadExit2TT => "PAYLOAD_EXIT2_TT",
        ControlOp.PayloadMonitorPExit => "PAYLOAD_MONITOR_P_EXIT",
        ControlOp.SpawnRequest => "SPAWN_REQUEST",
        ControlOp.SpawnRequestTT => "SPAWN_REQUEST_TT",
        ControlOp.SpawnReply => "SPAWN_REPLY",
        ControlOp.SpawnReplyTT => "SPAWN_REPLY_TT",
        ControlOp.AliasSend => "ALIAS_SEND",
        ControlOp.AliasSendTT => "ALIAS_SEND_TT",
        ControlOp.UnlinkId => "UNLINK_ID",
        ControlOp.UnlinkIdAck => "UNLINK_ID_ACK",
        ControlOp.RegSend => "REG_SEND",
        ControlOp.NodeLink => "NODE_LINK",
        ControlOp.GroupLeader => "GROUP_LEADER",
        _ => Op.ToString().ToUpperInvariant(),
    };
}
