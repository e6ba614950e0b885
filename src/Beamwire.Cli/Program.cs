namespace Beamwire.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("beamwire: no subcommands yet");
        return args.Length == 0 ? 1 : 1;
    }
}
