using System.Diagnostics;
using Beamwire.Cluster.Gossip;
using CsCheck;
using Xunit;

namespace Beamwire.Cluster.Tests.Unit;

/// <summary>
/// The gossip decoder on untrusted input: at least a million inputs (mutations of real heartbeats and
/// random bytes, plain and through both ciphers) within a time budget; it never throws and names only valid nodes.
/// </summary>
public sealed class HeartbeatFuzzTests
{
    private const int Inputs = 1_000_000;

    [Fact]
    public void A_million_mutated_and_random_datagrams_never_throw()
    {
        var seeds = new[] { HeartbeatCodec.Encode("a@127.0.0.1"), HeartbeatCodec.Encode("node1@node1"), HeartbeatCodec.Encode("é@h") };
        var rng = new Random(18);
        using var cbc = new HeartbeatCipher("s", HeartbeatCipher.Mode.Cbc);
        using var gcm = new HeartbeatCipher("s", HeartbeatCipher.Mode.Authenticated);
        var buf = new byte[HeartbeatCodec.MaxDatagram + 64];
        var clear = new byte[HeartbeatCodec.MaxDatagram + 64];
        var clock = Stopwatch.StartNew();
        var accepted = 0;
        for (var i = 0; i < Inputs; i++)
        {
            int len;
            if ((i & 3) == 3)
            {
                len = rng.Next(0, 64);
                rng.NextBytes(buf.AsSpan(0, len));
            }
            else
            {
                var s = seeds[i % seeds.Length];
                s.CopyTo(buf, 0);
                len = s.Length;
                var flips = rng.Next(1, 4);
                for (var f = 0; f < flips; f++)
                {
                    var at = rng.Next(0, len);
                    switch (rng.Next(3))
                    {
                        case 0: buf[at] = (byte)rng.Next(256); break;
                        case 1: len = at + 1; break;
                        default: buf[at] ^= (byte)(1 << rng.Next(8)); break;
                    }
                }
            }

            var span = buf.AsSpan(0, len);
            if (HeartbeatCodec.TryDecode(span, out var n) == HeartbeatDrop.None)
            {
                accepted++;
                Assert.True(Beamwire.Node.NodeName.TryParse(n, out _));
            }

            if ((i & 15) == 0)
            {
                if (cbc.TryOpen(span, clear, out var c, out _)) HeartbeatCodec.TryDecode(clear.AsSpan(0, c), out _);
                Assert.False(gcm.TryOpen(span, clear, out _, out _));
            }
        }

        Assert.True(accepted > 0); // some mutations keep a valid heartbeat (a changed name character)
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"{Inputs} inputs took {clock.Elapsed}");
    }

    [Fact]
    public void CsCheck_random_bytes_never_throw() =>
        Gen.Byte.Array[0, 300].Sample(b => { HeartbeatCodec.TryDecode([.. "heartbeat::"u8.ToArray(), .. b], out _); }, iter: 100_000);
}
