using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// Where a connection hands each decoded control message: the dispatch seam. Today the node delivers
/// the data-carrying kinds (SEND*, REG_SEND*, ALIAS_SEND*), acknowledges UNLINK_ID, and logs the rest
/// as unhandled; the process model (links, monitors, exits, spawn) plugs in here.
/// </summary>
internal interface IControlHandler
{
    /// <summary>Handles one message from <paramref name="connection"/>. Runs on its read loop: must not block.</summary>
    void Handle(Connection.DistConnection connection, ControlMessage control, ErlangTerm? payload);
}
