namespace Beamwire.Cli.Commands.Common;

/// <summary>
/// A failure the user can act on: its message is printed as one line on stderr (never a stack trace)
/// and the command exits with <see cref="ExitCode"/>.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message) : base(message) => ExitCode = exitCode;

    public CliException(int exitCode, string message, Exception innerException) : base(message, innerException) => ExitCode = exitCode;

    public CliException() { }

    public CliException(string message) : base(message) { }

    public CliException(string message, Exception innerException) : base(message, innerException) { }

    public int ExitCode { get; } = ExitCodes.Failed;
}
