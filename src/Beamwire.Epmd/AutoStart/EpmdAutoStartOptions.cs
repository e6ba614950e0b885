namespace Beamwire.Epmd;

/// <summary>How a node that finds no epmd starts one.</summary>
public enum EpmdAutoStartMode
{
    /// <summary>Run an <see cref="EpmdDaemon"/> inside this process (the default: no other program needed).
    /// It stops with the process, taking other nodes' registrations with it.</summary>
    InProcess,

    /// <summary>Start <c>beamwire epmd -daemon</c>, detached, which outlives this process as erl's epmd does.</summary>
    Detached,

    /// <summary>Start nothing; fail with <see cref="EpmdErrorReason.NotRunning"/> when no epmd answers.</summary>
    Never,
}

/// <summary>Options of <see cref="EpmdAutoStart"/>.</summary>
public sealed class EpmdAutoStartOptions
{
    public EpmdAutoStartMode Mode { get; set; } = EpmdAutoStartMode.InProcess;

    /// <summary>
    /// The <c>beamwire</c> executable for <see cref="EpmdAutoStartMode.Detached"/>: this path, else the
    /// <c>BEAMWIRE_CLI</c> environment variable, else <c>beamwire</c> on the PATH. A path ending in
    /// <c>.dll</c> is the command's assembly and runs as <c>dotnet beamwire.dll epmd -daemon</c>.
    /// </summary>
    public string? CommandPath { get; set; }

    /// <summary>How long to wait for a started epmd to answer (and for the probe of a running one).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Settings for an in-process daemon; its <see cref="EpmdDaemonOptions.Port"/> is replaced by the port asked for.</summary>
    public EpmdDaemonOptions? DaemonOptions { get; set; }
}
