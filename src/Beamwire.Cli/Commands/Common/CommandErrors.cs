using System.CommandLine;

namespace Beamwire.Cli.Commands.Common;

/// <summary>How every beamwire subcommand (but epmd, which copies epmd) reports failures: one line on stderr, an exit code.</summary>
internal static class CommandErrors
{
    /// <summary>Runs a command body; a <see cref="CliException"/> becomes <c>beamwire NAME: message</c> and its exit code.</summary>
    public static async Task<int> RunAsync(string command, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync($"beamwire {command}: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
    }

    /// <summary>A command line that does not parse: the first error, a pointer to --help, exit 2.</summary>
    public static int OnParseErrors(string command, ParseResult result)
    {
        Console.Error.WriteLine($"beamwire {command}: {result.Errors[0].Message}");
        Console.Error.WriteLine($"Run 'beamwire {command} --help' for usage.");
        return ExitCodes.Usage;
    }
}
