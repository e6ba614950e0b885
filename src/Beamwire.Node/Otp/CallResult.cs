using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>What <see cref="GenServer.HandleCallAsync"/> answers: <c>{reply, R, S}</c>, <c>{noreply, S}</c> or <c>{stop, Reason, R, S}</c>.</summary>
public readonly struct CallResult
{
    private CallResult(ErlangTerm? reply, ErlangTerm? stopReason)
    {
        Value = reply;
        StopReason = stopReason;
    }

    /// <summary>The reply to send now (null: none now, the server replies later with <see cref="GenServer.Reply"/>).</summary>
    public ErlangTerm? Value { get; }

    /// <summary>When set, the server stops with this reason after replying.</summary>
    public ErlangTerm? StopReason { get; }

    public static CallResult Reply(ErlangTerm reply) => new(reply ?? throw new ArgumentNullException(nameof(reply)), null);

    /// <summary>No reply now: the server keeps the <see cref="GenServerFrom"/> and replies later.</summary>
    public static CallResult NoReply => default;

    public static CallResult Stop(ErlangTerm reason, ErlangTerm? reply = null) => new(reply, reason ?? throw new ArgumentNullException(nameof(reason)));

    public static implicit operator CallResult(ErlangTerm reply) => Reply(reply);

    public static CallResult FromErlangTerm(ErlangTerm reply) => Reply(reply);
}
