using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Handshake;

/// <summary>
/// Side B of the handshake (dist_util:handshake_other_started): recv_name ('N', or the old 'n' of an
/// OTP 23/24 node without epmd, completed by 'c'), the flag check, the accept_pending status with the
/// simultaneous-connect tie-break, send_challenge, recv_challenge_reply, send_challenge_ack.
/// </summary>
internal sealed class HandshakeAcceptor
{
    private readonly HandshakeSettings _settings;
    private readonly IHandshakeArbiter _arbiter;
    private readonly ILogger _logger;

    public HandshakeAcceptor(HandshakeSettings settings, IHandshakeArbiter arbiter, ILogger logger)
    {
        _settings = settings;
        _arbiter = arbiter;
        _logger = logger;
    }

    public async Task<HandshakeResult> RunAsync(IDuplexPipe pipe, object attempt, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        NodeName? peer = null;
        var claimed = false;
        try
        {
            var packets = new HandshakePackets(pipe);
            var name = HandshakeMessages.DecodeName(await packets.ReadAsync("send_name", timeout.Token).ConfigureAwait(false));
            peer = await CheckNameAsync(packets, name, timeout.Token).ConfigureAwait(false);

            // The old 'n' carries only the low 32 flag bits: the full check waits for the complement.
            var peerFlags = FlagSets.ExpandDigest(name.Flags);
            if (!name.IsOldFormat) await CheckFlagsAsync(packets, peer, peerFlags, sendStatus: true, timeout.Token).ConfigureAwait(false);

            var claim = _arbiter.ClaimForAccept(peer, attempt);
            claimed = claim is AcceptClaim.Ok or AcceptClaim.OkSimultaneous or AcceptClaim.Alive;
            switch (claim)
            {
                case AcceptClaim.Ok:
                    await packets.WriteAsync(HandshakeMessages.EncodeStatus("ok"), timeout.Token).ConfigureAwait(false);
                    break;
                case AcceptClaim.OkSimultaneous:
                    await packets.WriteAsync(HandshakeMessages.EncodeStatus("ok_simultaneous"), timeout.Token).ConfigureAwait(false);
                    break;
                case AcceptClaim.Nok:
                    await packets.WriteAsync(HandshakeMessages.EncodeStatus("nok"), timeout.Token).ConfigureAwait(false);
                    throw new HandshakeException($"Simultaneous connect with {peer}: our name is greater, our own attempt wins (sent nok).") { Status = HandshakeStatus.Nok };
                case AcceptClaim.Alive:
                    await packets.WriteAsync(HandshakeMessages.EncodeStatus("alive"), timeout.Token).ConfigureAwait(false);
                    var answer = HandshakeMessages.DecodeStatus(await packets.ReadAsync("the answer to alive", timeout.Token).ConfigureAwait(false), out _);
                    if (answer != HandshakeStatus.AliveTrue)
                        throw new HandshakeException($"{peer} answered {answer} to alive: keeping the existing connection.") { Status = answer };
                    break;
                default:
                    throw new HandshakeException($"Another connection from {peer} is already replacing the live one; dropping this one.");
            }

            var ourChallenge = HandshakeDigest.NewChallenge();
            await packets.WriteAsync(
                HandshakeMessages.EncodeChallenge(_settings.Flags, ourChallenge, _settings.Creation, _settings.Self.Full), timeout.Token).ConfigureAwait(false);

            var creation = name.Creation;
            if (name.IsOldFormat)
            {
                var complement = HandshakeMessages.DecodeComplement(await packets.ReadAsync("send_complement", timeout.Token).ConfigureAwait(false));
                peerFlags = FlagSets.ExpandDigest(peerFlags | (DistributionFlags)((ulong)complement.FlagsHigh << 32));
                creation = complement.Creation;
                await CheckFlagsAsync(packets, peer, peerFlags, sendStatus: false, timeout.Token).ConfigureAwait(false);
            }

            var cookie = _settings.CookieFor(peer);
            var reply = HandshakeMessages.DecodeChallengeReply(await packets.ReadAsync("send_challenge_reply", timeout.Token).ConfigureAwait(false));
            if (!HandshakeDigest.Matches(reply.Digest, ourChallenge, cookie))
            {
                HandshakeLog.InvalidReply(_logger, peer.Full);
                throw new HandshakeException($"Connection attempt from node {peer} rejected: invalid challenge reply (the cookies differ).") { IsCookieMismatch = true };
            }

            if (claim == AcceptClaim.Alive)
                await _arbiter.ReplaceLiveConnectionAsync(peer, attempt, timeout.Token).ConfigureAwait(false);

            await packets.WriteAsync(HandshakeMessages.EncodeChallengeAck(HandshakeDigest.Compute(reply.Challenge, cookie)), timeout.Token).ConfigureAwait(false);
            claimed = false; // the caller now owns the slot
            return new HandshakeResult(peer, _settings.Flags & peerFlags, peerFlags, creation, WeInitiated: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HandshakeException($"Handshake with {(object?)peer ?? "an incoming node"} timed out after {_settings.Timeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            if (claimed && peer is not null) _arbiter.Release(peer, attempt);
        }
    }

    private async Task<NodeName> CheckNameAsync(HandshakePackets packets, NameMessage name, CancellationToken ct)
    {
        if ((name.Flags & DistributionFlags.NameMe) != 0)
        {
            // Dynamic node names (a node started without a name asking us to name it) are not offered.
            await packets.WriteAsync(HandshakeMessages.EncodeStatus("not_allowed"), ct).ConfigureAwait(false);
            HandshakeLog.DynamicNameRefused(_logger, name.Name);
            throw new HandshakeException($"Host '{name.Name}' asked for a dynamic node name (NAME_ME); Beamwire does not assign names.") { Status = HandshakeStatus.NotAllowed };
        }

        if (name.IsOldFormat && (name.Flags & DistributionFlags.Handshake23) == 0)
        {
            await packets.WriteAsync(HandshakeMessages.EncodeStatus("not_allowed"), ct).ConfigureAwait(false);
            throw new HandshakeException($"Node '{name.Name}' speaks only handshake version 5 (pre-OTP 23); not supported.") { Status = HandshakeStatus.NotAllowed };
        }

        if (!NodeName.TryParse(name.Name, out var peer))
            throw new HandshakeException($"Incoming connection sent an invalid node name '{name.Name}'.");

        if (_settings.Allowed.Count > 0 && !_settings.Allowed.Contains(peer))
        {
            await packets.WriteAsync(HandshakeMessages.EncodeStatus("not_allowed"), ct).ConfigureAwait(false);
            HandshakeLog.Disallowed(_logger, peer.Full);
            throw new HandshakeException($"Connection attempt from disallowed node {peer}.") { Status = HandshakeStatus.NotAllowed };
        }

        return peer;
    }

    private async Task CheckFlagsAsync(HandshakePackets packets, NodeName peer, DistributionFlags peerFlags, bool sendStatus, CancellationToken ct)
    {
        var missing = FlagSets.Missing(FlagSets.RequiredOfPeers, peerFlags);
        if (missing.Count == 0) return;
        if (sendStatus) await packets.WriteAsync(HandshakeMessages.EncodeStatus("not_allowed"), ct).ConfigureAwait(false);
        var list = string.Join(", ", missing);
        HandshakeLog.MissingFlagsIncoming(_logger, _settings.Self.Full, peer.Full, list);
        throw new HandshakeException($"Connection attempt from node {peer} rejected since it cannot handle [{list}].") { Status = HandshakeStatus.NotAllowed };
    }
}
