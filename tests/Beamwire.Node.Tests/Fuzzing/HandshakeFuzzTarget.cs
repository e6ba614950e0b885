using System.Buffers;
using System.IO.Pipelines;
using Beamwire.Node.Handshake;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beamwire.Node.Tests.Fuzzing;

/// <summary>
/// One handshake role fed a hostile byte stream: the peer's packets, as an in-memory pipe delivers them
/// (all there, then the end of the stream). The real <see cref="HandshakeInitiator"/> or
/// <see cref="HandshakeAcceptor"/> runs on it to the end; the only failure allowed is
/// <see cref="HandshakeException"/>, and the run must end without waiting (every byte is there, or the
/// stream has ended). Shared by the fuzz tests and the SharpFuzz harness.
/// </summary>
internal static class HandshakeFuzzTarget
{
    private static readonly PipeOptions Unbounded = new(pauseWriterThreshold: 0, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    /// <summary>Our node's side as the acceptor: the input is what an initiator sends (send_name, challenge_reply...).</summary>
    public static string? Acceptor(ReadOnlySpan<byte> input, int claim) => Run(input, null, claim);

    /// <summary>Our node's side as the initiator towards <paramref name="peer"/>: the input is what the acceptor sends (status, challenge, ack).</summary>
    public static string? Initiator(ReadOnlySpan<byte> input, NodeName peer, int claim) => Run(input, peer, claim);

    private static string? Run(ReadOnlySpan<byte> input, NodeName? peer, int claim)
    {
        var fromPeer = new Pipe(Unbounded);
        var toPeer = new Pipe(Unbounded);
        fromPeer.Writer.Write(input);
        fromPeer.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        fromPeer.Writer.Complete();
        var pipe = new Duplex(fromPeer.Reader, toPeer.Writer);
        var self = peer is null ? Acceptors[claim & 3] : Initiators[claim & 1];
        var arbiter = new FuzzArbiter((AcceptClaim)(claim % 5), pending: (claim & 8) != 0);
        Task<HandshakeResult> run = peer is null
            ? new HandshakeAcceptor(self, arbiter, NullLogger.Instance).RunAsync(pipe, new object(), default)
            : new HandshakeInitiator(self, arbiter, NullLogger.Instance).RunAsync(pipe, peer, new object(), default);
        try
        {
            if (!run.Wait(TimeSpan.FromSeconds(30))) return "the handshake still waits with the whole input read";
            return null; // a hostile input that completes a handshake is fine: it had the cookie (it cannot, but it is not a decoder fault)
        }
        catch (AggregateException ex) when (ex.InnerException is HandshakeException)
        {
            return null;
        }
        catch (AggregateException ex)
        {
            return ex.InnerException!.GetType().Name + ": " + ex.InnerException;
        }
        finally
        {
            toPeer.Reader.Complete();
        }
    }

    private static readonly HandshakeSettings[] Acceptors =
    [
        Settings("fuzz_bw@localhost", FlagSets.Advertised, []),
        Settings("fuzz_bw@localhost", FlagSets.Advertised | DistributionFlags.Published, ["fuzz_erl@localhost"]),
        Settings("fuzz_bw@localhost", FlagSets.Advertised & ~DistributionFlags.DistHdrAtomCache, []),
        Settings("fuzz_bw@127.0.0.1", FlagSets.Advertised, [], NodeNameMode.LongNames),
    ];

    private static readonly HandshakeSettings[] Initiators =
    [
        Settings("fuzz_bw@localhost", FlagSets.Advertised | DistributionFlags.Published, []),
        Settings("fuzz_bw@localhost", FlagSets.Advertised, []),
    ];

    private static HandshakeSettings Settings(string self, DistributionFlags flags, string[] allowed, NodeNameMode mode = NodeNameMode.ShortNames) =>
        new(NodeName.Parse(self), 7, flags, _ => "fuzz-cookie", TimeSpan.FromSeconds(30), mode)
        {
            Allowed = allowed.Select(NodeName.Parse).ToHashSet(),
        };

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Answers every question of the handshake with the input's choice, so the fuzzer reaches each branch (nok, alive, the answer to alive).</summary>
    private sealed class FuzzArbiter(AcceptClaim claim, bool pending) : IHandshakeArbiter
    {
        public AcceptClaim ClaimForAccept(NodeName peer, object attempt) => claim;

        public bool IsPending(NodeName peer, object attempt) => pending;

        public ValueTask ReplaceLiveConnectionAsync(NodeName peer, object attempt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Release(NodeName peer, object attempt)
        {
        }
    }
}
