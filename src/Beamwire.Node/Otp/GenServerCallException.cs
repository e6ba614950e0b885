using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// A GenServer call failed the way <c>gen_server:call/3</c> exits: <see cref="Reason"/> is <c>timeout</c>,
/// <c>noproc</c>, <c>{nodedown, Node}</c> or the server's exit reason; <see cref="ExitReason"/> is the whole
/// <c>{Reason, {gen_server, call, [Server, Request, Timeout]}}</c>.
/// </summary>
public sealed class GenServerCallException : BeamNodeException
{
    public GenServerCallException(ErlangTerm reason, ErlangTerm exitReason)
        : base($"gen_server call failed: {exitReason}")
    {
        Reason = reason;
        ExitReason = exitReason;
    }

    public GenServerCallException(string message) : base(message)
    {
        Reason = ExitReason = ErlangAtom.Undefined;
    }

    public GenServerCallException(string message, Exception innerException) : base(message, innerException)
    {
        Reason = ExitReason = ErlangAtom.Undefined;
    }

    public GenServerCallException() : this("gen_server call failed")
    {
    }

    public ErlangTerm Reason { get; }

    public ErlangTerm ExitReason { get; }
}
