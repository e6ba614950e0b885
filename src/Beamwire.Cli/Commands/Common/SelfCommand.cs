namespace Beamwire.Cli.Commands.Common;

/// <summary>
/// How to run this very command again, for the epmd it starts detached: the NativeAOT binary or the
/// apphost (<c>./beamwire.sh</c>, the dotnet tool's shim) is the process itself; under
/// <c>dotnet beamwire.dll</c> the process is the dotnet host and the command is the dll beside this code.
/// </summary>
internal static class SelfCommand
{
    private static readonly string Process = Environment.ProcessPath
        ?? throw new InvalidOperationException("cannot find the beamwire executable");

    /// <summary>True when this process is <c>dotnet beamwire.dll</c>.</summary>
    public static bool IsHostedByDotnet { get; } = System.IO.Path.GetFileNameWithoutExtension(Process) == "dotnet";

    /// <summary>The executable, or the dll when hosted by dotnet (what <see cref="Beamwire.Epmd.EpmdAutoStartOptions.CommandPath"/> takes).</summary>
    public static string Path { get; } = IsHostedByDotnet
        ? System.IO.Path.Combine(AppContext.BaseDirectory, typeof(SelfCommand).Assembly.GetName().Name + ".dll")
        : Process;

    /// <summary>The program and the arguments that come before this command's own.</summary>
    public static IReadOnlyList<string> Argv { get; } = IsHostedByDotnet ? [Process, Path] : [Process];
}
