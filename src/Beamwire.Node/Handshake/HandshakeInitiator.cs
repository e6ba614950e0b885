using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Handshake;

/// <summary>
/// Side A of the version-6 handshake (dist_util:handshake_we_started): send_name, recv_status (answering
/// <c>alive</c>), recv_challenge, check flags, send_challenge_reply, recv_challenge_ack.
/// </summary>
internal sealed class HandshakeInitiator
{
    private readonly HandshakeSettings _settings;
    private readonly IHandshakeArbiter _arbiter;
    private readonly ILogger _logger;

    public HandshakeInitiator(HandshakeSettings settings, IHandshakeArbiter arbiter, ILogger logger)
    {
        _settings = settings;
        _arbiter = arbiter;
        _logger = logger;
    }

    /// <summary>Runs the handshake towards <paramref name="peer"/>; throws <see cref="HandshakeException"/> on any failure.</summary>
    public async Task<HandshakeResult> RunAsync(IDuplexPipe pipe, NodeName peer, object attempt, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            return await RunCoreAsync(new HandshakePackets(pipe), peer, attempt, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HandshakeException($"Handshake with {peer} timed out after {_settings.Timeout.TotalSeconds:0.#} s.");
        }
    }

    private async Task<HandshakeResult> RunCoreAsync(HandshakePackets packets, NodeName peer, object attempt, CancellationToken ct)
    {
        await packets.WriteAsync(HandshakeMessages.EncodeName(_settings.Flags, _settings.Creation, _settings.Self.Full), ct).ConfigureAwait(false);

        var status = HandshakeMessages.DecodeStatus(await packets.ReadAsync("recv_status", ct).ConfigureAwait(false), out _);
        switch (status)
        {
            case HandshakeStatus.Ok:
            case HandshakeStatus.OkSimultaneous:
                break;
            case HandshakeStatus.Alive:
                // The peer still has a connection from a node of our name. If this attempt is the one our
                // node waits for, that old connection is stale: say so and continue.
                var stillPending = _arbiter.IsPending(peer, attempt);
                await packets.WriteAsync(HandshakeMessages.EncodeStatus(stillPending ? "true" : "false"), ct).ConfigureAwait(false);
                if (!stillPending)
                    throw new HandshakeException($"{peer} reports a live connection from us and this attempt is no longer wanted.") { Status = status };
                break;
            case HandshakeStatus.Nok:
                throw new HandshakeException($"{peer} answered nok: it is connecting to us itself (simultaneous connect, its name is greater).") { Status = status };
            case HandshakeStatus.NotAllowed:
                throw new HandshakeException($"{peer} answered not_allowed: it refuses connections from {_settings.Self} (allow list or missing capabilities; see its log).") { Status = status };
            default:
                throw new HandshakeException($"{peer} answered an unexpected status {status} (we never ask for a dynamic name).") { Status = status };
        }

        var challenge = HandshakeMessages.DecodeChallenge(await packets.ReadAsync("recv_challenge", ct).ConfigureAwait(false));
        if (!string.Equals(challenge.Name, peer.Full, StringComparison.Ordinal))
            throw new HandshakeException($"Connected to {peer} but the node there is called '{challenge.Name}'.");

        var peerFlags = FlagSets.ExpandDigest(challenge.Flags);
        var missing = FlagSets.Missing(FlagSets.RequiredOfPeers, peerFlags);
        if (missing.Count > 0)
        {
            HandshakeLog.MissingFlagsOutgoing(_logger, _settings.Self.Full, peer.Full, string.Join(", ", missing));
            throw new HandshakeException($"Connection attempt to node {peer} aborted since it cannot handle [{string.Join(", ", missing)}].");
        }

        var cookie = _settings.CookieFor(peer);
        var ourChallenge = HandshakeDigest.NewChallenge();
        await packets.WriteAsync(
            HandshakeMessages.EncodeChallengeReply(ourChallenge, HandshakeDigest.Compute(challenge.Challenge, cookie)), ct).ConfigureAwait(false);

        byte[] ack;
        try
        {
            ack = HandshakeMessages.DecodeChallengeAck(await packets.ReadAsync("recv_challenge_ack", ct).ConfigureAwait(false));
        }
        catch (HandshakeException ex) when (ex.Message.StartsWith("Connection closed", StringComparison.Ordinal))
        {
            // An acceptor that disagrees with our digest closes without a word: the usual sign of a wrong cookie.
            HandshakeLog.ClosedAfterReply(_logger, peer.Full);
            throw new HandshakeException($"{peer} closed the connection after our challenge reply: most likely the cookies differ.", ex) { IsCookieMismatch = true };
        }

        if (!HandshakeDigest.Matches(ack, ourChallenge, cookie))
        {
            HandshakeLog.InvalidAck(_logger, peer.Full);
            throw new HandshakeException($"Connection attempt to node {peer} cancelled: invalid challenge ack (the cookies differ).") { IsCookieMismatch = true };
        }

        return new HandshakeResult(peer, _settings.Flags & peerFlags, peerFlags, challenge.Creation, WeInitiated: true);
    }
}
