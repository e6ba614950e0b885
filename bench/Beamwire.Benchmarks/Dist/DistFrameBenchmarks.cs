using BenchmarkDotNet.Attributes;
using Beamwire.Node.Connection;
using Beamwire.Node.Control;
using Beamwire.Terms;

namespace Beamwire.Benchmarks.Dist;

/// <summary>
/// The per-message CPU of the distribution codec, without sockets: decoding the REG_SEND frame OTP
/// sends in steady state (atom-cache header with four cached atoms, <c>{msg, &lt;&lt;&gt;&gt;}</c>) into a
/// typed control message, and encoding the frame Beamwire sends for the same message.
/// Run: <c>Beamwire.Benchmarks --filter *DistFrame*</c>.
/// </summary>
[MemoryDiagnoser]
public class DistFrameBenchmarks
{
    private static readonly byte[] FirstFrame = Concat(
        [131, 68, 4, 0x99, 0x99, 0x00, 1, 7], "e1_x@vm"u8.ToArray(), [2, 0, 3, 4], "sink"u8.ToArray(), [4, 3], "msg"u8.ToArray(), Body());

    private static readonly byte[] SteadyFrame = Concat([131, 68, 4, 0x11, 0x11, 0x00, 1, 2, 3, 4], Body());

    private readonly FrameDecoder _decoder = new(TermDecoderOptions.Default, 1 << 20, 16);
    private readonly OutboundBuffer _buffer = new();
    private readonly FrameEncoder _frames = new(distributionHeader: true);
    private readonly ErlangPid _from = new(ErlangAtom.Get("bw1@vm"), 100, 0, 7);
    private readonly ErlangAtom _sink = ErlangAtom.Get("sink");
    private readonly ErlangTuple _message = new(ErlangAtom.Get("msg"), ErlangBinary.Empty);

    [GlobalSetup]
    public void Setup() => _decoder.TryDecode(FirstFrame, out _, out _); // fill the atom cache once, as the first frame does

    [Benchmark(Description = "decode OTP REG_SEND frame (atom cache) to control + payload")]
    public object Decode()
    {
        _decoder.TryDecode(SteadyFrame, out var control, out var payload);
        return ControlDecoder.Decode(control, payload);
    }

    [Benchmark(Description = "encode REG_SEND {msg, <<>>} frame (distribution header, atom cache)")]
    public int Encode()
    {
        _buffer.Reset();
        _frames.Write(_buffer, (_from, _sink), static (OutboundBuffer b, in (ErlangPid From, ErlangAtom Sink) s) => RegSendControl.Encode(b, s.From, s.Sink), _message);
        return _buffer.Length;
    }

    // {6, Pid(node = ref 0), '' (ref 1), sink (ref 2)} then {msg (ref 3), <<>>}, no version bytes.
    private static byte[] Body() =>
        [104, 4, 97, 6, 88, 82, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0x6b, 0x06, 0xa5, 0x49, 82, 1, 82, 2, 104, 2, 82, 3, 109, 0, 0, 0, 0];

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
