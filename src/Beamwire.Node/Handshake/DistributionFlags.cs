namespace Beamwire.Node.Handshake;

/// <summary>
/// Capability flags exchanged in the handshake (erl_dist_protocol "Distribution Flags"). The flags in
/// use on a connection are the intersection of what both sides advertise.
/// </summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the protocol's own name for this set.
public enum DistributionFlags : ulong
#pragma warning restore CA1711
{
    None = 0,
    Published = 0x1,
    AtomCache = 0x2,
    ExtendedReferences = 0x4,
    DistMonitor = 0x8,
    FunTags = 0x10,
    DistMonitorName = 0x20,
    HiddenAtomCache = 0x40,
    NewFunTags = 0x80,
    ExtendedPidsPorts = 0x100,
    ExportPtrTag = 0x200,
    BitBinaries = 0x400,
    NewFloats = 0x800,
    UnicodeIo = 0x1000,
    DistHdrAtomCache = 0x2000,
    SmallAtomTags = 0x4000,
    Utf8Atoms = 0x10000,
    MapTag = 0x20000,
    BigCreation = 0x40000,
    SendSender = 0x80000,
    BigSeqtraceLabels = 0x100000,
    ExitPayload = 0x400000,
    Fragments = 0x800000,
    Handshake23 = 0x1000000,
    UnlinkId = 0x2000000,
    Mandatory25Digest = 0x4000000,
    Spawn = 1UL << 32,
    NameMe = 1UL << 33,
    V4NC = 1UL << 34,
    Alias = 1UL << 35,
}
