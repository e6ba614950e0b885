using Beamwire.Node.Connection;
using Beamwire.Node.Control;
using Beamwire.Terms;
using Xunit;

namespace Beamwire.Node.Tests.Connection;

public class ControlDecoderTests
{
    private static readonly ErlangPid P1 = new(ErlangAtom.Get("a@h"), 1, 0, 1);
    private static readonly ErlangPid P2 = new(ErlangAtom.Get("b@h"), 2, 0, 1);
    private static readonly ErlangReference R = new(ErlangAtom.Get("a@h"), 1, [1u, 2u, 3u]);

    private static ErlangTuple T(int op, params ErlangTerm[] rest) => new([ErlangInteger.Create(op), .. rest]);

    [Fact]
    public void Every_kind_decodes_to_its_type()
    {
        var msg = ErlangAtom.Ok;
        Assert.IsType<SendControl>(ControlDecoder.Decode(T(2, ErlangAtom.Get(""), P2), msg));
        Assert.Equal(P1, ((SendControl)ControlDecoder.Decode(T(22, P1, P2), msg)).From);
        Assert.NotNull(ControlDecoder.Decode(T(23, P1, P2, ErlangAtom.Get("tok")), msg).TraceToken);
        Assert.Equal(ErlangAtom.Get("reg"), ((RegSendControl)ControlDecoder.Decode(T(6, P1, ErlangAtom.Get(""), ErlangAtom.Get("reg")), msg)).ToName);
        Assert.Equal(R, ((AliasSendControl)ControlDecoder.Decode(T(33, P1, R), msg)).Alias);
        Assert.IsType<LinkControl>(ControlDecoder.Decode(T(1, P1, P2), null));
        Assert.Equal(ulong.MaxValue, ((UnlinkIdControl)ControlDecoder.Decode(T(35, new ErlangBigInteger(ulong.MaxValue), P1, P2), null)).Id);
        Assert.Equal(ErlangAtom.Get("why"), ((ExitControl)ControlDecoder.Decode(T(3, P1, P2, ErlangAtom.Get("why")), null)).Reason);
        Assert.Equal(ErlangAtom.Get("why"), ((ExitControl)ControlDecoder.Decode(T(24, P1, P2), ErlangAtom.Get("why"))).Reason);
        Assert.Equal(ErlangAtom.Kill, ((Exit2Control)ControlDecoder.Decode(T(26, P1, P2), ErlangAtom.Kill)).Reason);
        Assert.Equal(ErlangAtom.Get("net_kernel"), ((MonitorControl)ControlDecoder.Decode(T(19, P1, ErlangAtom.Get("net_kernel"), R), null)).Target);
        Assert.Equal(ControlOp.DemonitorP, ControlDecoder.Decode(T(20, P1, P2, R), null).Op);
        Assert.Equal(ErlangAtom.NoProc, ((MonitorExitControl)ControlDecoder.Decode(T(28, P2, P1, R), ErlangAtom.NoProc)).Reason);
        Assert.IsType<GroupLeaderControl>(ControlDecoder.Decode(T(7, P1, P2), null));
        Assert.IsType<NodeLinkControl>(ControlDecoder.Decode(T(5), null));
        Assert.IsType<SpawnRequestControl>(ControlDecoder.Decode(
            T(29, R, P1, P2, new ErlangTuple(ErlangAtom.Get("m"), ErlangAtom.Get("f"), ErlangInteger.Create(0)), ErlangList.Nil), ErlangList.Nil));
        Assert.IsType<SpawnReplyControl>(ControlDecoder.Decode(T(31, R, P1, ErlangInteger.Create(0), P2), null));
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Wrong_shapes_are_protocol_errors(ErlangTerm control, bool withPayload) =>
        Assert.Throws<DistributionProtocolException>(() => ControlDecoder.Decode(control, withPayload ? ErlangAtom.Ok : null));

    public static TheoryData<ErlangTerm, bool> Malformed => new()
    {
        { ErlangAtom.Ok, true },
        { new ErlangTuple(), true },
        { T(2, ErlangAtom.Get(""), ErlangAtom.Get("notapid")), true },
        { T(6, P1, ErlangAtom.Get("")), true },
        { T(99, P1), true },
        { T(24, P1, P2), false },
        { T(35, ErlangInteger.Create(0), P1, P2), false },
        { T(19, P1, ErlangInteger.Create(5), R), false },
    };

    [Fact]
    public void Send_encoders_produce_what_the_decoder_reads()
    {
        var buf = new OutboundBuffer();
        SendControl.Encode(buf, P1, P2, sendSender: true);
        var t = (ErlangTuple)TermDecoder.DecodeWithoutVersion(buf.Written.Span, out var used);
        Assert.Equal(buf.Length, used);
        Assert.Equal(T(22, P1, P2), t);

        buf.Reset();
        SendControl.Encode(buf, P1, P2, sendSender: false);
        Assert.Equal(T(2, ErlangAtom.Get(""), P2), TermDecoder.DecodeWithoutVersion(buf.Written.Span, out _));

        buf.Reset();
        RegSendControl.Encode(buf, P1, ErlangAtom.Get("rcv"));
        Assert.Equal(T(6, P1, ErlangAtom.Get(""), ErlangAtom.Get("rcv")), TermDecoder.DecodeWithoutVersion(buf.Written.Span, out _));

        foreach (var id in new ulong[] { 1, 255, 256, int.MaxValue, 1UL << 40, ulong.MaxValue })
        {
            buf.Reset();
            UnlinkIdControl.EncodeAck(buf, id, P1, P2);
            var ack = (UnlinkIdControl)ControlDecoder.Decode(TermDecoder.DecodeWithoutVersion(buf.Written.Span, out _), null);
            Assert.Equal((ControlOp.UnlinkIdAck, id), (ack.Op, ack.Id));
        }

        buf.Dispose();
    }
}
