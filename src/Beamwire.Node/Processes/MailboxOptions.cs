namespace Beamwire.Node;

/// <summary>How a mailbox is created (<see cref="BeamNode.CreateMailbox(MailboxOptions)"/>).</summary>
public sealed class MailboxOptions
{
    /// <summary>Registers the mailbox under this name (<c>register/2</c>), so <c>{Name, Node} ! Msg</c> reaches it.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Lets the code after <c>await ReceiveAsync(...)</c> run on the thread that delivered the message
    /// (often the connection's reader) instead of being queued to the thread pool, as
    /// <c>System.Threading.Channels</c>' option of the same name does. It saves a thread hop per
    /// message (the lowest round-trip latency), at a price: until that code awaits again, the
    /// connection reads nothing more, so it must not block: use <c>SendAsync</c> there, since a
    /// synchronous <c>Send</c> blocks while a connection is busy. Off by default.
    /// </summary>
    public bool AllowSynchronousContinuations { get; init; }
}
