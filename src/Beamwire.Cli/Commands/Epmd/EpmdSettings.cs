namespace Beamwire.Cli.Commands.Epmd;

/// <summary>The parsed <c>beamwire epmd</c> command line.</summary>
/// <param name="Port">The port to serve or to query.</param>
/// <param name="Interactive">-names, -kill, -stop, -dump or -started; null to run the daemon.</param>
/// <param name="StopName">The name given to -stop.</param>
/// <param name="Detach">-daemon.</param>
/// <param name="Relaxed">-relaxed_command_check or ERL_EPMD_RELAXED_COMMAND_CHECK.</param>
/// <param name="Addresses">-address or ERL_EPMD_ADDRESS: comma/space separated IP addresses.</param>
/// <param name="Debug">How many -d flags.</param>
/// <param name="PacketTimeout">-packet_timeout.</param>
internal readonly record struct EpmdSettings(
    int Port,
    string? Interactive,
    string? StopName,
    bool Detach,
    bool Relaxed,
    string? Addresses,
    int Debug,
    TimeSpan? PacketTimeout);
