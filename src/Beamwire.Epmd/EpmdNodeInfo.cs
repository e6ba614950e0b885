namespace Beamwire.Epmd;

/// <summary>What epmd knows about one registered node (the body of a PORT2_RESP).</summary>
/// <param name="Name">The node name without <c>@host</c>.</param>
/// <param name="Port">The node's distribution listen port.</param>
/// <param name="Type">The node type byte it registered with.</param>
/// <param name="Protocol">The protocol byte (0 = TCP/IPv4 in OTP).</param>
/// <param name="HighestVersion">Highest distribution version the node speaks.</param>
/// <param name="LowestVersion">Lowest distribution version the node speaks.</param>
/// <param name="Extra">The opaque extra field of the registration.</param>
public sealed record EpmdNodeInfo(
    string Name,
    int Port,
    EpmdNodeType Type,
    byte Protocol,
    ushort HighestVersion,
    ushort LowestVersion,
    ReadOnlyMemory<byte> Extra);
