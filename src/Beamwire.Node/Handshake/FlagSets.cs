namespace Beamwire.Node.Handshake;

/// <summary>The flag sets Beamwire requires and advertises, and their names for log lines.</summary>
public static class FlagSets
{
    /// <summary>
    /// What OTP 25 requires of a peer (0x1070F94 = the bits MANDATORY_25_DIGEST stands for) plus what
    /// OTP 26+ added (V4_NC, UNLINK_ID). We require the same of peers: everything we decode and encode
    /// assumes them.
    /// </summary>
    public const DistributionFlags Required =
        DistributionFlags.ExtendedReferences | DistributionFlags.FunTags | DistributionFlags.NewFunTags |
        DistributionFlags.ExtendedPidsPorts | DistributionFlags.ExportPtrTag | DistributionFlags.BitBinaries |
        DistributionFlags.NewFloats | DistributionFlags.Utf8Atoms | DistributionFlags.MapTag |
        DistributionFlags.BigCreation | DistributionFlags.Handshake23;

    /// <summary>Flags OTP 26 and later refuse a peer without.</summary>
    public const DistributionFlags RequiredByOtp26 = Required | DistributionFlags.V4NC | DistributionFlags.UnlinkId;

    /// <summary>What we refuse a peer without (OTP 25 and later all offer it): the OTP 26 set.</summary>
    public const DistributionFlags RequiredOfPeers = RequiredByOtp26;

    /// <summary>
    /// Everything Beamwire implements: each flag here obliges us to handle what the peer then sends
    /// (atom-cache headers, fragments, SEND_SENDER, PAYLOAD_* exits, ALIAS_SEND, UNLINK_ID acks).
    /// PUBLISHED is added unless the node is hidden. SPAWN: SPAWN_REQUEST/SPAWN_REPLY are handled (remote spawn, erpc).
    /// </summary>
    public const DistributionFlags Advertised =
        RequiredByOtp26 | DistributionFlags.DistMonitor | DistributionFlags.DistMonitorName |
        DistributionFlags.UnicodeIo | DistributionFlags.DistHdrAtomCache | DistributionFlags.SmallAtomTags |
        DistributionFlags.SendSender | DistributionFlags.BigSeqtraceLabels | DistributionFlags.ExitPayload |
        DistributionFlags.Fragments | DistributionFlags.Mandatory25Digest | DistributionFlags.Alias | DistributionFlags.Spawn;

    /// <summary>OTP's MANDATORY_25_DIGEST stands for this set; expand it before checking (dist_util does).</summary>
    public static DistributionFlags ExpandDigest(DistributionFlags flags) =>
        (flags & DistributionFlags.Mandatory25Digest) != 0
            ? flags | DistributionFlags.ExtendedReferences | DistributionFlags.FunTags | DistributionFlags.ExtendedPidsPorts |
              DistributionFlags.NewFunTags | DistributionFlags.ExportPtrTag | DistributionFlags.BitBinaries |
              DistributionFlags.NewFloats | DistributionFlags.Utf8Atoms | DistributionFlags.MapTag |
              DistributionFlags.BigCreation | DistributionFlags.Handshake23
            : flags;

    /// <summary>The names of the flags in <paramref name="required"/> that <paramref name="offered"/> lacks, OTP's spelling.</summary>
    public static IReadOnlyList<string> Missing(DistributionFlags required, DistributionFlags offered)
    {
        var missing = new List<string>();
        var lacking = (ulong)(required & ~offered);
        for (var bit = 0; bit < 64; bit++)
        {
            var f = 1UL << bit;
            if ((lacking & f) != 0) missing.Add(Name((DistributionFlags)f));
        }

        return missing;
    }

    /// <summary>OTP's name of one flag (dist_util:dflag2str), e.g. <c>UNLINK_ID</c>.</summary>
    public static string Name(DistributionFlags flag) => flag switch
    {
        DistributionFlags.Published => "PUBLISHED",
        DistributionFlags.AtomCache => "ATOM_CACHE",
        DistributionFlags.ExtendedReferences => "EXTENDED_REFERENCES",
        DistributionFlags.DistMonitor => "DIST_MONITOR",
        DistributionFlags.FunTags => "FUN_TAGS",
        DistributionFlags.DistMonitorName => "DIST_MONITOR_NAME",
        DistributionFlags.HiddenAtomCache => "HIDDEN_ATOM_CACHE",
        DistributionFlags.NewFunTags => "NEW_FUN_TAGS",
        DistributionFlags.ExtendedPidsPorts => "EXTENDED_PIDS_PORTS",
        DistributionFlags.ExportPtrTag => "EXPORT_PTR_TAG",
        DistributionFlags.BitBinaries => "BIT_BINARIES",
        DistributionFlags.NewFloats => "NEW_FLOATS",
        DistributionFlags.UnicodeIo => "UNICODE_IO",
        DistributionFlags.DistHdrAtomCache => "DIST_HDR_ATOM_CACHE",
        DistributionFlags.SmallAtomTags => "SMALL_ATOM_TAGS",
        DistributionFlags.Utf8Atoms => "UTF8_ATOMS",
        DistributionFlags.MapTag => "MAP_TAG",
        DistributionFlags.BigCreation => "BIG_CREATION",
        DistributionFlags.SendSender => "SEND_SENDER",
        DistributionFlags.BigSeqtraceLabels => "BIG_SEQTRACE_LABELS",
        DistributionFlags.ExitPayload => "EXIT_PAYLOAD",
        DistributionFlags.Fragments => "FRAGMENTS",
        DistributionFlags.Handshake23 => "HANDSHAKE_23",
        DistributionFlags.UnlinkId => "UNLINK_ID",
        DistributionFlags.Mandatory25Digest => "MANDATORY_25_DIGEST",
        DistributionFlags.Spawn => "SPAWN",
        DistributionFlags.NameMe => "NAME_ME",
        DistributionFlags.V4NC => "V4_NC",
        DistributionFlags.Alias => "ALIAS",
        _ => $"UNKNOWN<{(ulong)flag:X}>",
    };
}
