using System.Buffers.Binary;
using Beamwire.Epmd.Protocol;

namespace Beamwire.Epmd.Daemon;

/// <summary>One name slot of the daemon: a live registration, or a remembered old one.</summary>
internal sealed class RegisteredNode(byte[] name)
{
    public byte[] Name { get; } = name;

    public int Port { get; private set; }

    public byte Type { get; private set; }

    public byte Protocol { get; private set; }

    public ushort HighestVersion { get; private set; }

    public ushort LowestVersion { get; private set; }

    public byte[] Extra { get; private set; } = [];

    /// <summary>epmd's per-slot counter: seeded from the clock, +1 per reuse of the name, never below 4.</summary>
    public uint Counter { get; set; }

    public int Fd { get; private set; }

    public IConnectionHandle? Owner { get; set; }

    /// <summary>The complete PORT2_RESP for this node, built once per registration.</summary>
    public byte[] Port2Reply { get; private set; } = [];

    /// <summary>What epmd reports: the 32-bit counter to version-6 nodes, 1..3 to older ones.</summary>
    public uint Creation => HighestVersion >= 6 ? Counter : Counter % 3 + 1;

    public void BumpCounter()
    {
        if (++Counter < 4)
            Counter = 4;
    }

    public void Fill(in Alive2Request request, IConnectionHandle owner)
    {
        Port = request.Port;
        Type = request.Type;
        Protocol = request.Protocol;
        HighestVersion = request.HighestVersion;
        LowestVersion = request.LowestVersion;
        Extra = request.Extra.ToArray();
        Owner = owner;
        Fd = owner.Fd;
        Port2Reply = BuildPort2Reply();
    }

    private byte[] BuildPort2Reply()
    {
        var reply = new byte[14 + Name.Length + Extra.Length];
        var s = reply.AsSpan();
        s[0] = EpmdCodes.Port2Resp;
        s[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], (ushort)Port);
        s[4] = Type;
        s[5] = Protocol;
        BinaryPrimitives.WriteUInt16BigEndian(s[6..], HighestVersion);
        BinaryPrimitives.WriteUInt16BigEndian(s[8..], LowestVersion);
        BinaryPrimitives.WriteUInt16BigEndian(s[10..], (ushort)Name.Length);
        Name.CopyTo(s[12..]);
        BinaryPrimitives.WriteUInt16BigEndian(s[(12 + Name.Length)..], (ushort)Extra.Length);
        Extra.CopyTo(s[(14 + Name.Length)..]);
        return reply;
    }
}

/// <summary>The fields of an ALIVE2_REQ body, validated for framing by <see cref="RequestProcessor"/>.</summary>
internal readonly ref struct Alive2Request
{
    public ushort Port { get; init; }
    public byte Type { get; init; }
    public byte Protocol { get; init; }
    public ushort HighestVersion { get; init; }
    public ushort LowestVersion { get; init; }
    public ReadOnlySpan<byte> Name { get; init; }
    public ReadOnlySpan<byte> Extra { get; init; }
}
