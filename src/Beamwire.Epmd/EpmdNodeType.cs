namespace Beamwire.Epmd;

/// <summary>
/// The node type byte of ALIVE2_REQ / PORT2_RESP. Note that OTP itself always registers
/// <see cref="Normal"/>; whether a node is hidden is decided in the distribution handshake.
/// </summary>
public enum EpmdNodeType : byte
{
    /// <summary>'H' (72): a hidden node.</summary>
    Hidden = 72,

    /// <summary>'M' (77): a normal Erlang node.</summary>
    Normal = 77,
}
