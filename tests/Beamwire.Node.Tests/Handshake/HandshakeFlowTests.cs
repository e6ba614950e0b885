using System.IO.Pipelines;
using Beamwire.Node.Handshake;
using Beamwire.Node.Tests.Support;
using Xunit;

namespace Beamwire.Node.Tests.Handshake;

/// <summary>
/// The two handshake state machines against each other over in-memory pipes (their bytes against real
/// OTP are covered by the interop tests), and each against hand-written peers for the odd paths.
/// </summary>
public class HandshakeFlowTests
{
    private static readonly NodeName A = NodeName.Parse("a@h");
    private static readonly NodeName B = NodeName.Parse("b@h");

    private static HandshakeSettings Settings(NodeName self, string cookie, DistributionFlags? flags = null, TimeSpan? timeout = null) =>
        new(self, 1234, flags ?? FlagSets.Advertised | DistributionFlags.Published, _ => cookie, timeout ?? TimeSpan.FromSeconds(5), NodeNameMode.ShortNames);

    [Fact]
    public async Task Both_sides_agree_on_flags_and_creation()
    {
        var pipes = new PipePair();
        var log = new CapturingLogger();
        var init = new HandshakeInitiator(Settings(A, "c"), new TestArbiter(), log).RunAsync(pipes.A, B, new object(), default);
        var acc = new HandshakeAcceptor(Settings(B, "c", FlagSets.Advertised) with { Creation = 99 }, new TestArbiter(), log).RunAsync(pipes.B, new object(), default);
        var (ri, ra) = (await init, await acc);
        Assert.Equal(B, ri.Peer);
        Assert.Equal(A, ra.Peer);
        Assert.Equal(99u, ri.PeerCreation);
        Assert.Equal(1234u, ra.PeerCreation);
        Assert.Equal(FlagSets.Advertised, ri.Flags); // B is hidden: the intersection lacks PUBLISHED
        Assert.False(ri.IsPublished);
        Assert.True(ri.WeInitiated);
        Assert.False(ra.WeInitiated);
    }

    [Fact]
    public async Task Wrong_cookie_fails_on_both_sides_with_a_log_line()
    {
        var pipes = new PipePair();
        var logA = new CapturingLogger();
        var logB = new CapturingLogger();
        var init = new HandshakeInitiator(Settings(A, "one"), new TestArbiter(), logA).RunAsync(pipes.A, B, new object(), default);
        var acc = new HandshakeAcceptor(Settings(B, "two"), new TestArbiter(), logB).RunAsync(pipes.B, new object(), default);
        var accEx = await Assert.ThrowsAsync<HandshakeException>(() => acc);
        Assert.True(accEx.IsCookieMismatch);
        Assert.True(logB.Contains("Invalid challenge reply"));
        pipes.B.Output.Complete(); // the acceptor closes the socket, as OTP does
        var initEx = await Assert.ThrowsAsync<HandshakeException>(() => init);
        Assert.True(initEx.IsCookieMismatch);
        Assert.True(logA.Contains("b@h"));
    }

    [Fact]
    public async Task Peer_lacking_required_flags_is_refused_with_not_allowed_and_a_log_line_naming_them()
    {
        var pipes = new PipePair();
        var log = new CapturingLogger();
        var weak = FlagSets.Advertised & ~(DistributionFlags.UnlinkId | DistributionFlags.V4NC);
        var init = new HandshakeInitiator(Settings(A, "c", weak), new TestArbiter(), new CapturingLogger()).RunAsync(pipes.A, B, new object(), default);
        var acc = new HandshakeAcceptor(Settings(B, "c"), new TestArbiter(), log).RunAsync(pipes.B, new object(), default);
        var ex = await Assert.ThrowsAsync<HandshakeException>(() => acc);
        Assert.Contains("UNLINK_ID", ex.Message, StringComparison.Ordinal);
        Assert.True(log.Contains("cannot handle [UNLINK_ID, V4_NC]"));
        var initEx = await Assert.ThrowsAsync<HandshakeException>(() => init);
        Assert.Equal(HandshakeStatus.NotAllowed, initEx.Status);
    }

    [Fact]
    public async Task Initiator_refuses_an_acceptor_lacking_required_flags()
    {
        var pipes = new PipePair();
        var log = new CapturingLogger();
        var weak = FlagSets.Advertised & ~DistributionFlags.V4NC;
        var init = new HandshakeInitiator(Settings(A, "c"), new TestArbiter(), log).RunAsync(pipes.A, B, new object(), default);
        _ = new HandshakeAcceptor(Settings(B, "c", weak), new TestArbiter(), new CapturingLogger()).RunAsync(pipes.B, new object(), default);
        var ex = await Assert.ThrowsAsync<HandshakeException>(() => init);
        Assert.Contains("V4_NC", ex.Message, StringComparison.Ordinal);
        Assert.True(log.Contains("aborted since it cannot handle [V4_NC]"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Ok_statuses_continue(bool simultaneous)
    {
        var claim = simultaneous ? AcceptClaim.OkSimultaneous : AcceptClaim.Ok;
        var pipes = new PipePair();
        var init = new HandshakeInitiator(Settings(A, "c"), new TestArbiter(), new CapturingLogger()).RunAsync(pipes.A, B, new object(), default);
        var acc = new HandshakeAcceptor(Settings(B, "c"), new TestArbiter { Claim = claim }, new CapturingLogger()).RunAsync(pipes.B, new object(), default);
        Assert.Equal(B, (await init).Peer);
        Assert.Equal(A, (await acc).Peer);
    }

    [Fact]
    public async Task Nok_stops_both_sides()
    {
        var pipes = new PipePair();
        var init = new HandshakeInitiator(Settings(A, "c"), new TestArbiter(), new CapturingLogger()).RunAsync(pipes.A, B, new object(), default);
        var arbiter = new TestArbiter { Claim = AcceptClaim.Nok };
        var acc = new HandshakeAcceptor(Settings(B, "c"), arbiter, new CapturingLogger()).RunAsync(pipes.B, new object(), default);
        Assert.Equal(HandshakeStatus.Nok, (await Assert.ThrowsAsync<HandshakeException>(() => acc)).Status);
        Assert.Equal(HandshakeStatus.Nok, (await Assert.ThrowsAsync<HandshakeException>(() => init)).Status);
        Assert.Equal(0, arbiter.Released); // nothing was claimed
    }

    [Fact]
    public async Task Alive_answered_true_replaces_the_old_connection()
    {
        var pipes = new PipePair();
        var init = new HandshakeInitiator(Settings(A, "c"), new TestArbiter { Pending = true }, new CapturingLogger()).RunAsync(pipes.A, B, new object(), default);
        var arbiter = new TestArbiter { Claim = AcceptClaim.Alive };
        var acc = new HandshakeAcceptor(Settings(B, "c"), arbiter, new CapturingLogger()).RunAsync(pipes.B, new object(), default);
        await init;
        await acc;
        Assert.Equal(1, arbiter.Replaced);
    }

    [Fact]
    public async Task Alive_answered_false_keeps_the_old_connection()
    {
        var pipes = new PipePair();
        var init = new HandshakeInitiator(Settings(A, "c"), new TestArbiter { Pending = false }, new CapturingLogger()).RunAsync(pipes.A, B, new object(), default);
        var arbiter = new TestArbiter { Claim = AcceptClaim.Alive };
        var acc = new HandshakeAcceptor(Settings(B, "c"), arbiter, new CapturingLogger()).RunAsync(pipes.B, new object(), default);
        Assert.Equal(HandshakeStatus.AliveFalse, (await Assert.ThrowsAsync<HandshakeException>(() => acc)).Status);
        await Assert.ThrowsAsync<HandshakeException>(() => init);
        Assert.Equal(0, arbiter.Replaced);
        Assert.Equal(1, arbiter.Released);
    }

    [Fact]
    public async Task Initiator_refuses_a_node_answering_under_another_name()
    {
        var pipes = new PipePair();
        var init = new HandshakeInitiator(Settings(A, "c"), new TestArbiter(), new CapturingLogger()).RunAsync(pipes.A, NodeName.Parse("other@h"), new object(), default);
        _ = new HandshakeAcceptor(Settings(B, "c"), new TestArbiter(), new CapturingLogger()).RunAsync(pipes.B, new object(), default);
        var ex = await Assert.ThrowsAsync<HandshakeException>(() => init);
        Assert.Contains("b@h", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_peer_times_out()
    {
        var pipes = new PipePair();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<HandshakeException>(() =>
            new HandshakeAcceptor(Settings(B, "c", timeout: TimeSpan.FromMilliseconds(300)), new TestArbiter(), new CapturingLogger())
                .RunAsync(pipes.B, new object(), default));
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        // The clock started before the acceptor: never under the timeout; the upper bound gives a loaded
        // machine over 3 s and stays under the 5 s these tests use when no timeout is given.
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Old_name_message_with_complement_is_accepted()
    {
        // An OTP 23/24 node without epmd: 'n' (version 5, low flags), then 'c' with the high flags.
        var pipes = new PipePair();
        var acc = new HandshakeAcceptor(Settings(B, "c"), new TestArbiter(), new CapturingLogger()).RunAsync(pipes.B, new object(), default);
        var peer = new HandshakePackets(pipes.A);
        var flags = FlagSets.Advertised | DistributionFlags.Published;
        await peer.WriteAsync(HandshakeMessages.EncodeOldName(flags, "old@h"), default);
        Assert.Equal(HandshakeStatus.Ok, HandshakeMessages.DecodeStatus(await peer.ReadAsync("status", default), out _));
        var challenge = HandshakeMessages.DecodeChallenge(await peer.ReadAsync("challenge", default));
        await peer.WriteAsync(HandshakeMessages.EncodeComplement(flags, 555), default);
        await peer.WriteAsync(HandshakeMessages.EncodeChallengeReply(42, HandshakeDigest.Compute(challenge.Challenge, "c")), default);
        var ack = HandshakeMessages.DecodeChallengeAck(await peer.ReadAsync("ack", default));
        Assert.True(HandshakeDigest.Matches(ack, 42, "c"));
        var result = await acc;
        Assert.Equal(555u, result.PeerCreation);
        Assert.Equal(NodeName.Parse("old@h"), result.Peer);
        Assert.True((result.Flags & DistributionFlags.V4NC) != 0);
    }

    [Fact]
    public async Task Old_name_without_handshake_23_is_refused()
    {
        var pipes = new PipePair();
        var acc = new HandshakeAcceptor(Settings(B, "c"), new TestArbiter(), new CapturingLogger()).RunAsync(pipes.B, new object(), default);
        var peer = new HandshakePackets(pipes.A);
        await peer.WriteAsync(HandshakeMessages.EncodeOldName(DistributionFlags.Published | DistributionFlags.ExtendedReferences, "ancient@h"), default);
        Assert.Equal(HandshakeStatus.NotAllowed, HandshakeMessages.DecodeStatus(await peer.ReadAsync("status", default), out _));
        await Assert.ThrowsAsync<HandshakeException>(() => acc);
    }

    [Fact]
    public async Task Bytes_after_the_handshake_stay_in_the_pipe()
    {
        var pipes = new PipePair();
        var init = new HandshakeInitiator(Settings(A, "c"), new TestArbiter(), new CapturingLogger()).RunAsync(pipes.A, B, new object(), default);
        var packets = new HandshakePackets(pipes.B);
        var name = HandshakeMessages.DecodeName(await packets.ReadAsync("name", default));
        await packets.WriteAsync(HandshakeMessages.EncodeStatus("ok"), default);
        await packets.WriteAsync(HandshakeMessages.EncodeChallenge(FlagSets.Advertised, 7, 1, "b@h"), default);
        var reply = HandshakeMessages.DecodeChallengeReply(await packets.ReadAsync("reply", default));
        // The ack and a first tick frame arrive in one write.
        var ack = HandshakeMessages.EncodeChallengeAck(HandshakeDigest.Compute(reply.Challenge, "c"));
        var both = new byte[2 + ack.Length + 4];
        both[1] = (byte)ack.Length;
        ack.CopyTo(both, 2);
        await pipes.B.Output.WriteAsync(both);
        await init;
        var rest = await pipes.A.Input.ReadAsync();
        Assert.Equal(4, rest.Buffer.Length);
        Assert.Equal("a@h", name.Name);
    }
}
