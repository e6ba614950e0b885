using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// A process without a body, driven from .NET code: a pid with a mailbox, links and monitors. Messages
/// to its <see cref="LocalProcess.Pid"/> (or its registered <see cref="Name"/>) from any node arrive in
/// order per sender; <see cref="LocalProcess.ReceiveAsync(Func{ErlangTerm, bool}?, TimeSpan?, CancellationToken)"/>
/// takes the first message a pattern accepts and leaves the others queued in their order (Erlang's
/// selective receive). One receiver at a time, as a process has one. Disposing it exits the process
/// with <c>normal</c>.
/// </summary>
public sealed class Mailbox : LocalProcess, IDisposable
{
    private volatile bool _disposed;

    internal Mailbox(BeamNode node, ErlangPid pid, ErlangAtom? name, bool synchronousContinuations = false)
    {
        Attach(node, pid);
        Name = name;
        ReceivesOnDeliveringThread = synchronousContinuations;
    }

    /// <summary>The locally registered name, if any (<c>{Name, Node} ! Msg</c> reaches it).</summary>
    public ErlangAtom? Name { get; }

    private protected override Exception ExitedException() =>
        _disposed ? new ObjectDisposedException(nameof(Mailbox), $"The mailbox {Pid} was disposed.") : base.ExitedException();

    /// <summary>Removes the mailbox: its pid and name stop receiving, a pending receive fails, links and monitors see <c>normal</c>.</summary>
    public void Dispose()
    {
        _disposed = true;
        Terminate(ErlangAtom.Normal);
    }

    public override string ToString() => Name is null ? $"Mailbox {Pid}" : $"Mailbox {Pid} ({Name.Name})";
}
