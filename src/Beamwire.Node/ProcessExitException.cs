using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// A process exits with <see cref="Reason"/>: thrown by <see cref="LocalProcess.Exit(ErlangTerm)"/>
/// (Erlang's <c>exit(Reason)</c>), and by a process's receive and send operations once an exit signal
/// has killed it (its links and monitors have then already been told). Let it propagate out of the
/// process body: catching it does not bring the process back.
/// </summary>
public sealed class ProcessExitException : BeamNodeException
{
    public ProcessExitException(ErlangTerm reason) : base($"The process exited: {reason}") => Reason = reason;

    public ProcessExitException(string message) : base(message) => Reason = ErlangAtom.Normal;

    public ProcessExitException(string message, Exception innerException) : base(message, innerException) => Reason = ErlangAtom.Normal;

    public ProcessExitException() : this(ErlangAtom.Normal) { }

    /// <summary>The exit reason (<c>normal</c>, <c>killed</c>, <c>noconnection</c>, any term).</summary>
    public ErlangTerm Reason { get; }
}
