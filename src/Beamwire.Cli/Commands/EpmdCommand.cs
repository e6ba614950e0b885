using System.CommandLine;
using System.CommandLine.Parsing;
using Beamwire.Cli.Commands.Epmd;

namespace Beamwire.Cli.Commands;

/// <summary>
/// <c>beamwire epmd</c>: erl's epmd command with its single-dash flags, texts and exit codes. Without
/// an interactive flag it runs the daemon (in the foreground, or detached with <c>-daemon</c>);
/// <c>-names</c>, <c>-kill</c>, <c>-stop NAME</c> (and <c>-dump</c>, <c>-started</c>) talk to the running one.
/// </summary>
internal sealed class EpmdCommand : ICliCommand
{
    private readonly Option<bool> _daemon = new("-daemon") { Description = "Start epmd detached (as a daemon)" };
    private readonly Option<int> _port = new("-port") { Description = "Listen on (or talk to) this port instead of ERL_EPMD_PORT or 4369", HelpName = "No" };
    private readonly Option<string> _address = new("-address") { Description = "Listen only on these comma-separated addresses (and on loopback)", HelpName = "List" };
    private readonly Option<bool> _relaxed = new("-relaxed_command_check") { Description = "Allow -kill with registered nodes, and -stop" };
    private readonly Option<bool> _debug = new("-d", "-debug") { Description = "Debug output on stderr; repeat for more", Arity = ArgumentArity.Zero };
    private readonly Option<int> _packetTimeout = new("-packet_timeout") { Description = "Seconds a connection may take to send its request", HelpName = "Seconds" };
    private readonly Option<bool> _names = new("-names") { Description = "List names registered with the running epmd" };
    private readonly Option<bool> _kill = new("-kill") { Description = "Kill the running epmd" };
    private readonly Option<string> _stop = new("-stop") { Description = "Forcibly unregister a name (needs -relaxed_command_check)", HelpName = "Name" };
    private readonly Option<bool> _dump = new("-dump") { Description = "Dump the running epmd's state (local only)" };
    private readonly Option<bool> _started = new("-started") { Description = "Exit 0 if an epmd is running, 1 if not, silently" };

    public EpmdCommand()
    {
        Command = new Command("epmd", "The Erlang port mapper daemon: run it, or query the running one.")
        {
            _daemon, _port, _address, _relaxed, _debug, _packetTimeout, _names, _kill, _stop, _dump, _started,
        };
        Command.SetAction(RunAsync);
    }

    public Command Command { get; }

    public int OnParseErrors(ParseResult result) => EpmdUsage.Print();

    private async Task<int> RunAsync(ParseResult result, CancellationToken ct)
    {
        var settings = Read(result);
        if (settings is null)
            return EpmdUsage.Print();

        var s = settings.Value;
        if (s.Interactive is { } action)
            return await EpmdQueries.RunAsync(action, s.Port, s.StopName, ct).ConfigureAwait(false);
        if (s.Detach)
            return await EpmdDetach.StartDetachedAsync(s.Port, ct).ConfigureAwait(false);
        return await EpmdForeground.RunAsync(s, ct).ConfigureAwait(false);
    }

    // epmd's rules beyond the syntax: -port and -packet_timeout must be positive numbers, and an
    // interactive flag must be the last thing on the line (epmd acts on it as soon as it reads it).
    private EpmdSettings? Read(ParseResult result)
    {
        var tokens = result.Tokens.SkipWhile(t => t.Value != "epmd").Skip(1).Select(t => t.Value).ToList();
        string? interactive = null;
        foreach (var (option, name) in new[] { (_names, "-names"), (_kill, "-kill"), (_dump, "-dump"), (_started, "-started") })
        {
            if (result.GetValue(option))
            {
                if (interactive is not null || tokens[^1] != name)
                    return null;
                interactive = name;
            }
        }

        var stop = result.GetValue(_stop);
        if (stop is not null)
        {
            if (interactive is not null || tokens.Count < 2 || tokens[^2] != "-stop")
                return null;
            interactive = "-stop";
        }

        var port = EnvironmentPort();
        if (result.GetResult(_port) is { } portResult && !portResult.Implicit)
        {
            port = result.GetValue(_port);
            if (port is <= 0 or > 65535)
                return null;
        }

        TimeSpan? packetTimeout = null;
        if (result.GetResult(_packetTimeout) is { Implicit: false })
        {
            var seconds = result.GetValue(_packetTimeout);
            if (seconds <= 0)
                return null;
            packetTimeout = TimeSpan.FromSeconds(seconds);
        }

        return new EpmdSettings(
            Port: port,
            Interactive: interactive,
            StopName: stop,
            Detach: result.GetValue(_daemon),
            Relaxed: result.GetValue(_relaxed) || Environment.GetEnvironmentVariable("ERL_EPMD_RELAXED_COMMAND_CHECK") is not null,
            Addresses: result.GetValue(_address) ?? Environment.GetEnvironmentVariable("ERL_EPMD_ADDRESS"),
            Debug: result.GetResult(_debug) is OptionResult d ? d.IdentifierTokenCount : 0,
            PacketTimeout: packetTimeout);
    }

    // epmd reads ERL_EPMD_PORT with atoi: garbage means port 0, which then fails; we fall back to 4369.
    private static int EnvironmentPort() => Beamwire.Epmd.EpmdDefaults.ResolvePort();
}
