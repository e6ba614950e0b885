using System.CommandLine;
using System.Text;
using Beamwire.Cli.Commands.Common;
using Beamwire.Epmd;

namespace Beamwire.Cli.Commands;

/// <summary>
/// <c>beamwire names [HOST]</c>: the names registered with epmd, printed exactly as <c>epmd -names</c>
/// prints them (and for any host, not only this one). Exit 5 when no epmd answers.
/// </summary>
internal sealed class NamesCommand : ICliCommand
{
    private readonly Argument<string> _host = new("HOST") { Description = "Host whose epmd to ask (default: this one)", DefaultValueFactory = _ => "localhost" };
    private readonly Option<string> _epmdPort = new("--epmd-port") { Description = "epmd port (default: BEAMWIRE_EPMD_PORT, ERL_EPMD_PORT, else 4369)", HelpName = "N" };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object: {\"host\", \"epmd_port\", \"names\": [{\"name\", \"port\"}]}" };

    public NamesCommand()
    {
        Command = new Command("names", "List the nodes registered with epmd (as epmd -names)") { _host, _epmdPort, _json };
        Command.SetAction((result, ct) => CommandErrors.RunAsync("names", () => RunAsync(result, ct)));
    }

    public Command Command { get; }

    public int OnParseErrors(ParseResult result) => CommandErrors.OnParseErrors("names", result);

    private async Task<int> RunAsync(ParseResult result, CancellationToken ct)
    {
        var flags = new Dictionary<SettingKey, string>();
        if (result.GetValue(_epmdPort) is { } p) flags[SettingKeys.EpmdPort] = p;
        var settings = LoadedSettings.Load(flags, configPath: null);
        var host = result.GetValue(_host)!;
        var port = settings.Port(SettingKeys.EpmdPort) ?? EpmdDefaults.ResolvePort();
        EpmdListing listing;
        try
        {
            listing = await new EpmdClient(host, port).GetNamesListingAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EpmdException or System.Net.Sockets.SocketException)
        {
            // epmd's own words for the local case; the host named otherwise.
            var where = host is "localhost" or "127.0.0.1" ? "local epmd" : $"epmd on {host}:{port}";
            if (result.GetValue(_json))
                JsonOut.Write(w => { w.WriteString("host", host); w.WriteNumber("epmd_port", port); w.WriteString("error", $"Cannot connect to {where}"); });
            else
                await Console.Error.WriteAsync($"epmd: Cannot connect to {where}\n").ConfigureAwait(false);
            return ExitCodes.EpmdUnreachable;
        }

        if (result.GetValue(_json))
        {
            JsonOut.Write(w =>
            {
                w.WriteString("host", host);
                w.WriteNumber("epmd_port", listing.EpmdPort);
                w.WriteStartArray("names");
                foreach (var n in listing.ParseNames())
                {
                    w.WriteStartObject();
                    w.WriteString("name", n.Name);
                    w.WriteNumber("port", n.Port);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        using var stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(Encoding.ASCII.GetBytes($"epmd: up and running on port {listing.EpmdPort} with data:\n"), ct).ConfigureAwait(false);
        await stdout.WriteAsync(listing.Text, ct).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
