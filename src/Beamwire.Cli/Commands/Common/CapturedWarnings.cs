namespace Beamwire.Cli.Commands.Common;

/// <summary>
/// Keeps the library's warning lines of a short-lived client node (handshake refused, wrong cookie...)
/// so that a failing <c>ping</c> or <c>rpc</c> can say why in one line instead of printing a log.
/// </summary>
internal sealed class CapturedWarnings
{
    private readonly List<string> _lines = [];

    public void Add(string line)
    {
        lock (_lines) _lines.Add(line);
    }

    /// <summary>The last captured warning, without its time stamp and level.</summary>
    public string? Last
    {
        get
        {
            lock (_lines)
            {
                if (_lines.Count == 0) return null;
                var line = _lines[^1];
                var close = line.IndexOf("] ", StringComparison.Ordinal);
                return close < 0 ? line : line[(close + 2)..];
            }
        }
    }
}
