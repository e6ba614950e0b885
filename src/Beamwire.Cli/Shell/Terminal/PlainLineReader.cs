namespace Beamwire.Cli.Shell.Terminal;

/// <summary>Input that is not a terminal (a pipe, a file): prompts are still printed, as iex prints them, with no line editing.</summary>
internal sealed class PlainLineReader : ILineReader
{
    private readonly Lock _gate = new();

    public string? ReadLine(string prompt)
    {
        lock (_gate)
        {
            Console.Out.Write(prompt);
            Console.Out.Flush();
        }

        return Console.In.ReadLine();
    }

    public void WriteAbove(string text) => WriteLine(text);

    public void WriteLine(string text)
    {
        lock (_gate)
        {
            Console.Out.WriteLine(text);
            Console.Out.Flush();
        }
    }
}
