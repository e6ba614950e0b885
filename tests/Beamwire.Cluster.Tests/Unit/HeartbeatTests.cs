using Beamwire.Cluster.Gossip;
using Xunit;

namespace Beamwire.Cluster.Tests.Unit;

public sealed class HeartbeatTests
{
    // "heartbeat::" <> term_to_binary(%{node: :"a@127.0.0.1"}) as OTP 25 writes it (ATOM_EXT).
    private static readonly byte[] Otp25 = Convert.FromHexString("6865617274626561743a3a837400000001640004" + "6e6f6465" + "64000b" + Convert.ToHexString("a@127.0.0.1"u8));

    [Fact]
    public void Decodes_otp25_atom_ext_and_our_own_utf8_encoding()
    {
        Assert.Equal(HeartbeatDrop.None, HeartbeatCodec.TryDecode(Otp25, out var n));
        Assert.Equal("a@127.0.0.1", n);
        var ours = HeartbeatCodec.Encode("a@127.0.0.1");
        Assert.Equal("6865617274626561743a3a83740000000177046e6f6465770b" + Convert.ToHexString("a@127.0.0.1"u8).ToLowerInvariant(), Convert.ToHexString(ours).ToLowerInvariant());
        Assert.Equal(HeartbeatDrop.None, HeartbeatCodec.TryDecode(ours, out n));
        Assert.Equal("a@127.0.0.1", n);
    }

    [Fact]
    public void Libcluster_test_vector_opens_with_the_secret()
    {
        // secret "somepassword", IV 00..0f, node a@127.0.0.1, OTP 25 ETF (checked with openssl and :crypto).
        var packet = Convert.FromHexString("000102030405060708090a0b0c0d0e0f0293fcf646d248542d82eea283216c7387beea77366350e4a31a703058e77b1a523aefc2979ea844b239b06e4acd1f3b");
        using var cipher = new HeartbeatCipher("somepassword", HeartbeatCipher.Mode.Cbc);
        var clear = new byte[packet.Length];
        Assert.True(cipher.TryOpen(packet, clear, out var len, out _));
        Assert.Equal(Otp25, clear[..len]);
        using var wrong = new HeartbeatCipher("otherpassword", HeartbeatCipher.Mode.Cbc);
        Assert.False(wrong.TryOpen(packet, clear, out len, out _) && HeartbeatCodec.TryDecode(clear.AsSpan(0, len), out _) == HeartbeatDrop.None);
    }

    [Fact]
    public void Authenticated_mode_round_trips_and_rejects_any_flipped_bit()
    {
        using var cipher = new HeartbeatCipher("s3cret", HeartbeatCipher.Mode.Authenticated);
        var plain = HeartbeatCodec.Encode("bw@10.0.0.1");
        var packet = new byte[HeartbeatCipher.MaxSealedLength(plain.Length)];
        var len = cipher.Seal(plain, packet, 1234567);
        var clear = new byte[len];
        Assert.True(cipher.TryOpen(packet.AsSpan(0, len), clear, out var n, out var stamp));
        Assert.Equal(1234567, stamp);
        Assert.Equal(plain, clear[..n]);
        for (var i = 0; i < len; i++)
        {
            var bad = packet[..len];
            bad[i] ^= 0x01;
            Assert.False(cipher.TryOpen(bad, clear, out _, out _));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("heartbeat::")]
    [InlineData("heartbeat::83")]
    [InlineData("heartbeat::8374ffffffff")] // a huge claimed map
    [InlineData("heartbeat::837400000001640004")] // truncated key
    [InlineData("heartbeat::83740000000164000" + "46e6f6465" + "6100")] // node => integer
    [InlineData("heartbeat::837400000000")] // no node key
    [InlineData("heartbeat::83740000000177046e6f64657703613f62")] // node => :"a?b" (not a node name)
    public void Garbage_is_dropped_with_a_reason(string hex)
    {
        var bytes = hex.StartsWith("heartbeat::", StringComparison.Ordinal)
            ? [.. "heartbeat::"u8.ToArray(), .. Convert.FromHexString(hex["heartbeat::".Length..])]
            : Convert.FromHexString(hex);
        Assert.NotEqual(HeartbeatDrop.None, HeartbeatCodec.TryDecode(bytes, out var n));
        Assert.Null(n);
    }

    [Fact]
    public void Oversized_datagram_is_dropped()
    {
        var big = new byte[HeartbeatCodec.MaxDatagram + 1];
        HeartbeatCodec.Encode("a@b").CopyTo(big, 0);
        Assert.Equal(HeartbeatDrop.Oversized, HeartbeatCodec.TryDecode(big, out _));
    }

    [Fact]
    public void Extra_map_keys_are_tolerated()
    {
        // %{node: :"a@h", v: 1}
        var bytes = Convert.FromHexString("6865617274626561743a3a837400000002" + "77046e6f6465" + "7703" + Convert.ToHexString("a@h"u8) + "770176" + "6101");
        Assert.Equal(HeartbeatDrop.None, HeartbeatCodec.TryDecode(bytes, out var n));
        Assert.Equal("a@h", n);
    }
}
