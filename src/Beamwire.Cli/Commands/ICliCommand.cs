using System.CommandLine;

namespace Beamwire.Cli.Commands;

/// <summary>One <c>beamwire</c> subcommand: its definition (options and action) and its parse-error answer.</summary>
internal interface ICliCommand
{
    Command Command { get; }

    /// <summary>Called instead of the action when the command line does not parse; returns the exit code.</summary>
    int OnParseErrors(ParseResult result);
}
