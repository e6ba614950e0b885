namespace Beamwire.Cli.Shell.Terminal;

/// <summary>Where the REPL reads lines from: an interactive terminal (<see cref="LineEditor"/>) or piped input (<see cref="PlainLineReader"/>).</summary>
internal interface ILineReader
{
    /// <summary>Shows <paramref name="prompt"/> and reads one line; null at end of input (Ctrl-D).</summary>
    string? ReadLine(string prompt);

    /// <summary>Prints output that arrives while a line is being edited (logs, io from rpc) above the prompt.</summary>
    void WriteAbove(string text);

    /// <summary>Prints a result line (between prompts).</summary>
    void WriteLine(string text);
}
