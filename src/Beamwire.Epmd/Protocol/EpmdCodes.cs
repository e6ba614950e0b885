namespace Beamwire.Epmd.Protocol;

/// <summary>First byte of each epmd request and reply (erts epmd.h; PROTOCOL-FACTS §7).</summary>
internal static class EpmdCodes
{
    public const byte Alive2Req = 120;     // 'x'
    public const byte Alive2Resp = 121;    // 'y': 16-bit creation, for nodes with highest version < 6
    public const byte Alive2XResp = 118;   // 'v': 32-bit creation, for nodes with highest version >= 6
    public const byte Port2Req = 122;      // 'z'
    public const byte Port2Resp = 119;     // 'w'
    public const byte NamesReq = 110;      // 'n'
    public const byte DumpReq = 100;       // 'd'
    public const byte KillReq = 107;       // 'k'
    public const byte StopReq = 115;       // 's'

    /// <summary>Longest node name in bytes epmd accepts: 255 characters of up to 4 UTF-8 bytes.</summary>
    public const int MaxNameBytes = 255 * 4;

    /// <summary>Longest name in characters.</summary>
    public const int MaxNameChars = 255;

    /// <summary>epmd's read buffer; a request whose 2+length reaches it is refused.</summary>
    public const int InBufferSize = 3 * MaxNameBytes;

    /// <summary>Largest request body (after the 2-byte length) epmd accepts.</summary>
    public const int MaxRequestLength = InBufferSize - 3;

    /// <summary>The creation epmd sends back with a refused registration.</summary>
    public const uint RefusedCreation = 99;
}
