using System.Buffers.Binary;

namespace Beamwire.Epmd.Tests.Support;

/// <summary>Generates garbage, truncated and oversized epmd requests.</summary>
internal static class BadInput
{
    public sealed record Case(string Kind, byte[] Bytes, bool HalfClose, bool MayBeAnswered);

    public static Case Make(Random rng, int i)
    {
        switch (i % 8)
        {
            case 0: // random bytes of random length
            {
                var b = new byte[rng.Next(1, 200)];
                rng.NextBytes(b);
                // A random length prefix could frame a valid NAMES/PORT2 request: those may be answered.
                return new Case("random", b, rng.Next(2) == 0, MayBeAnswered: true);
            }

            case 1: // oversized length
                return new Case("oversized", [.. BigEndian((ushort)rng.Next(3058, 65536)), .. RandomBytes(rng, 64)], false, false);
            case 2: // zero length
                return new Case("zero", [0, 0], false, false);
            case 3: // truncated: announces more than it sends, then closes
            {
                var len = rng.Next(5, 3000);
                return new Case("truncated", [.. BigEndian((ushort)len), 122, .. RandomBytes(rng, rng.Next(0, 3))], true, false);
            }

            case 4: // unknown request codes
            {
                byte code;
                do code = (byte)rng.Next(256); while (code is 120 or 122 or 110 or 100 or 107 or 115);
                return new Case("code", [0, 3, code, 1, 2], false, false);
            }

            case 5: // ALIVE2 with lying inner lengths
            {
                var body = new byte[rng.Next(14, 40)];
                rng.NextBytes(body);
                body[0] = 120;
                BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(9), (ushort)rng.Next(body.Length, 65536));
                return new Case("alive2-lengths", [.. BigEndian((ushort)body.Length), .. body], false, false);
            }

            case 6: // PORT2 with an invalid or NUL-containing name
                return new Case("port2-name", [0, 4, 122, 0xC3, 0x00, 0xFF], false, false);
            default: // a valid frame followed by more bytes
                return new Case("trailing", [0, 1, 110, .. RandomBytes(rng, rng.Next(1, 50))], false, false);
        }
    }

    private static byte[] BigEndian(ushort v) => [(byte)(v >> 8), (byte)v];

    private static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }
}
