using System.CommandLine;
using System.Diagnostics;
using Beamwire.Cli.Commands.Common;
using Beamwire.Epmd;
using Beamwire.Node;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands;

/// <summary>
/// <c>beamwire ping NODE</c>: <c>net_adm:ping/1</c> from a short-lived hidden node. Prints <c>pong</c>
/// (exit 0) or <c>pang</c> with the reason on stderr: node not registered (7), epmd unreachable (5),
/// refused or no answer, e.g. a wrong cookie (1).
/// </summary>
internal sealed class PingCommand : ICliCommand
{
    private readonly NodeFlags _flags = new(nodeIdentity: false);
    private readonly Argument<string> _node = new("NODE") { Description = "The node to ping: node1@host (or node1 for this host)" };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object: {\"node\", \"result\", \"ms\", \"error\"}" };
    private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds to wait for the answer", DefaultValueFactory = _ => 10 };

    public PingCommand()
    {
        Command = new Command("ping", "Ping a node (net_adm:ping): prints pong or pang") { _node, _json, _timeout };
        _flags.AddTo(Command);
        Command.SetAction((result, ct) => RunAsync(result, ct));
    }

    public Command Command { get; }

    public int OnParseErrors(ParseResult result) => CommandErrors.OnParseErrors("ping", result);

    private async Task<int> RunAsync(ParseResult result, CancellationToken ct)
    {
        var json = result.GetValue(_json);
        var text = result.GetValue(_node)!;
        var shown = Beamwire.Node.NodeName.TryParse(text, out _) || text.Contains('@', StringComparison.Ordinal) ? text : text + "@" + TargetNode.ShortHost();
        var clock = Stopwatch.StartNew();
        try
        {
            var settings = _flags.Load(result);
            var target = TargetNode.Parse(text);
            var epmdPort = settings.Port(SettingKeys.EpmdPort) ?? EpmdDefaults.ResolvePort();
            await ClientNode.EnsureRegisteredAsync(target, epmdPort, ct).ConfigureAwait(false);
            var warnings = new CapturedWarnings();
            using var loggers = LineLoggerProvider.Factory(LogLevel.Warning, warnings.Add);
            await using var node = await ClientNode.StartAsync("ping", target, settings.Text(SettingKeys.Cookie), epmdPort, loggers, ct).ConfigureAwait(false);
            var answer = await node.PingAsync(target.Full, TimeSpan.FromSeconds(result.GetValue(_timeout)), ct).ConfigureAwait(false);
            if (answer == PingResult.Pong)
                return Report(json, target.Full, "pong", clock, null, ExitCodes.Ok);
            var why = warnings.Last ?? "no answer in time (is the cookie right?)";
            return Report(json, target.Full, "pang", clock, $"{target} did not answer the ping: {why}", ExitCodes.Failed);
        }
        catch (CliException ex)
        {
            return Report(json, shown, "pang", clock, ex.Message, ex.ExitCode);
        }
    }

    private static int Report(bool json, string node, string answer, Stopwatch clock, string? error, int exit)
    {
        if (json)
        {
            JsonOut.Write(w =>
            {
                w.WriteString("node", node);
                w.WriteString("result", answer);
                w.WriteNumber("ms", Math.Round(clock.Elapsed.TotalMilliseconds, 1));
                if (error is not null) w.WriteString("error", error);
                w.WriteNumber("exit", exit);
            });
        }
        else
        {
            Console.Out.WriteLine(answer);
            if (error is not null) Console.Error.WriteLine("beamwire ping: " + error);
        }

        return exit;
    }
}
