using Beamwire.Node.Handshake;
using Xunit;

namespace Beamwire.Node.Tests.Handshake;

public class HandshakeMessagesTests
{
    [Fact]
    public void Name_message_has_the_v6_layout()
    {
        var bytes = HandshakeMessages.EncodeName((DistributionFlags)0x0000000C07070FBDUL, 0x6b06a549, "a@vm");
        Assert.Equal(Convert.FromHexString("4E0000000C07070FBD6B06A5490004"), bytes[..15]);
        Assert.Equal("a@vm"u8.ToArray(), bytes[15..]);
        var decoded = HandshakeMessages.DecodeName(bytes);
        Assert.Equal("a@vm", decoded.Name);
        Assert.Equal(0x6b06a549u, decoded.Creation);
        Assert.False(decoded.IsOldFormat);
    }

    [Fact]
    public void Name_message_ignores_trailing_bytes()
    {
        var bytes = HandshakeMessages.EncodeName(FlagSets.Advertised, 7, "x@h").Concat(new byte[] { 1, 2, 3 }).ToArray();
        Assert.Equal("x@h", HandshakeMessages.DecodeName(bytes).Name);
    }

    [Fact]
    public void Old_name_message_is_decoded()
    {
        var bytes = HandshakeMessages.EncodeOldName(DistributionFlags.Handshake23 | DistributionFlags.Published, "old@h");
        Assert.Equal((byte)'n', bytes[0]);
        Assert.Equal(new byte[] { 0, 5 }, bytes[1..3]);
        var m = HandshakeMessages.DecodeName(bytes);
        Assert.True(m.IsOldFormat);
        Assert.Equal("old@h", m.Name);
        Assert.Equal(DistributionFlags.Handshake23 | DistributionFlags.Published, m.Flags);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { (byte)'N', 0, 0 })]
    [InlineData(new byte[] { (byte)'N', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, (byte)'a' })]
    [InlineData(new byte[] { (byte)'x', 1 })]
    [InlineData(new byte[] { (byte)'n', 0, 4, 0, 0, 0, 0 })]
    public void Malformed_name_messages_throw_a_typed_exception(byte[] bytes) =>
        Assert.Throws<HandshakeException>(() => HandshakeMessages.DecodeName(bytes));

    [Theory]
    [InlineData("ok", HandshakeStatus.Ok)]
    [InlineData("ok_simultaneous", HandshakeStatus.OkSimultaneous)]
    [InlineData("nok", HandshakeStatus.Nok)]
    [InlineData("not_allowed", HandshakeStatus.NotAllowed)]
    [InlineData("alive", HandshakeStatus.Alive)]
    [InlineData("true", HandshakeStatus.AliveTrue)]
    [InlineData("false", HandshakeStatus.AliveFalse)]
    public void Statuses_round_trip(string text, HandshakeStatus status)
    {
        var bytes = HandshakeMessages.EncodeStatus(text);
        Assert.Equal((byte)'s', bytes[0]);
        Assert.Equal(status, HandshakeMessages.DecodeStatus(bytes, out _));
        Assert.Equal(text, HandshakeMessages.StatusText(status));
    }

    [Fact]
    public void Named_status_carries_name_and_creation()
    {
        var bytes = HandshakeMessages.EncodeNamedStatus("dyn@h", 0x01020304);
        Assert.Equal(Convert.FromHexString("736E616D65643A0005") , bytes[..9]);
        Assert.Equal(HandshakeStatus.Named, HandshakeMessages.DecodeStatus(bytes, out var named));
        Assert.Equal(("dyn@h", 0x01020304u), named);
    }

    [Fact]
    public void Unknown_status_is_refused()
    {
        var ex = Assert.Throws<HandshakeException>(() => HandshakeMessages.DecodeStatus(HandshakeMessages.EncodeStatus("weird"), out _));
        Assert.Contains("weird", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Challenge_has_the_v6_layout()
    {
        var bytes = HandshakeMessages.EncodeChallenge((DistributionFlags)0x7, 0xDEADBEEF, 0x11223344, "b@vm");
        Assert.Equal(Convert.FromHexString("4E0000000000000007DEADBEEF112233440004"), bytes[..19]);
        var c = HandshakeMessages.DecodeChallenge(bytes);
        Assert.Equal((0xDEADBEEFu, 0x11223344u, "b@vm"), (c.Challenge, c.Creation, c.Name));
    }

    [Fact]
    public void Reply_ack_and_complement_have_their_layouts()
    {
        var digest = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var reply = HandshakeMessages.EncodeChallengeReply(0x01020304, digest);
        Assert.Equal(21, reply.Length);
        Assert.Equal((byte)'r', reply[0]);
        Assert.Equal(digest, HandshakeMessages.DecodeChallengeReply(reply).Digest);
        Assert.Throws<HandshakeException>(() => HandshakeMessages.DecodeChallengeReply(reply.AsSpan(0, 20)));

        var ack = HandshakeMessages.EncodeChallengeAck(digest);
        Assert.Equal((byte)'a', ack[0]);
        Assert.Equal(digest, HandshakeMessages.DecodeChallengeAck(ack));

        var c = HandshakeMessages.EncodeComplement((DistributionFlags)(0x0000000C_00000000UL), 99);
        Assert.Equal(Convert.FromHexString("630000000C00000063"), c);
        Assert.Equal(new ComplementMessage(0xC, 99), HandshakeMessages.DecodeComplement(c));
    }

    [Fact]
    public void Digest_matches_real_erlang()
    {
        // erlang:md5(["secretcookie" | integer_to_list(3735928559)]) on OTP 25.
        Assert.Equal(Convert.FromHexString("4D9757CD7AE773AAF1A08D00FF981318"), HandshakeDigest.Compute(3735928559, "secretcookie"));
        Assert.True(HandshakeDigest.Matches(Convert.FromHexString("4D9757CD7AE773AAF1A08D00FF981318"), 3735928559, "secretcookie"));
        Assert.False(HandshakeDigest.Matches(Convert.FromHexString("4D9757CD7AE773AAF1A08D00FF981319"), 3735928559, "secretcookie"));
    }

    [Fact]
    public void Missing_flags_are_named_as_otp_names_them()
    {
        var offered = FlagSets.RequiredOfPeers & ~(DistributionFlags.V4NC | DistributionFlags.UnlinkId);
        Assert.Equal(["UNLINK_ID", "V4_NC"], FlagSets.Missing(FlagSets.RequiredOfPeers, offered));
        Assert.Empty(FlagSets.Missing(FlagSets.RequiredOfPeers, FlagSets.ExpandDigest(DistributionFlags.Mandatory25Digest | DistributionFlags.V4NC | DistributionFlags.UnlinkId)));
    }

    [Fact]
    public void Advertised_flags_cover_what_otp_26_requires_and_the_recommended_base()
    {
        Assert.Equal(FlagSets.RequiredByOtp26, FlagSets.Advertised & FlagSets.RequiredByOtp26);
        Assert.Equal(0x403070F94UL, (ulong)FlagSets.RequiredByOtp26);
        // PUBLISHED is added per node; the rest of OTP's recommended base is there.
        Assert.Equal(0xC07070FBCUL, (ulong)FlagSets.Advertised & 0xC07070FBCUL);
    }
}
