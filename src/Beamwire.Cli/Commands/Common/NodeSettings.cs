using Beamwire.Epmd;
using Beamwire.Node;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands.Common;

/// <summary>The node a command starts, resolved from <see cref="LoadedSettings"/> and checked as erl checks its flags.</summary>
internal sealed record NodeSettings(
    string? Name,
    NodeNameMode Mode,
    string? Cookie,
    int ListenPort,
    (int Min, int Max)? PortRange,
    int? EpmdPort,
    bool NoEpmd,
    bool StartEpmd,
    bool Hidden,
    TimeSpan? NetTickTime,
    LogLevel? LogLevel)
{
    public static NodeSettings From(LoadedSettings s)
    {
        var sname = s.Text(SettingKeys.Sname);
        var lname = s.Text(SettingKeys.Name);
        if (sname is not null && lname is not null)
            throw new CliException(ExitCodes.Usage, "give either --sname or --name, not both (erl refuses them together too)");
        var port = s.Port(SettingKeys.Port) ?? 0;
        var range = s.Range(SettingKeys.PortRange);
        if (port != 0 && range is not null)
            throw new CliException(ExitCodes.Usage, "give either --port or --port-range, not both");
        var noEpmd = s.Bool(SettingKeys.NoEpmd) ?? false;
        if (noEpmd && port == 0)
            throw new CliException(ExitCodes.Usage, "--no-epmd needs a fixed --port: without epmd, peers find this node (and it finds them) on that port");
        var tick = s.Seconds(SettingKeys.NetTickTime);
        return new NodeSettings(
            sname ?? lname,
            lname is not null ? NodeNameMode.LongNames : NodeNameMode.ShortNames,
            s.Text(SettingKeys.Cookie),
            port,
            range,
            s.Port(SettingKeys.EpmdPort),
            noEpmd,
            s.Bool(SettingKeys.StartEpmd) ?? true,
            s.Bool(SettingKeys.Hidden) ?? false,
            tick is null ? null : TimeSpan.FromSeconds(tick.Value),
            s.Level(SettingKeys.LogLevel));
    }

    public BeamNodeOptions ToOptions(string name)
    {
        var options = new BeamNodeOptions
        {
            Name = name,
            NameMode = Mode,
            Cookie = Cookie,
            Hidden = Hidden,
            ListenPort = ListenPort,
            ListenPortMin = PortRange?.Min,
            ListenPortMax = PortRange?.Max,
            EpmdPort = EpmdPort,
            Epmd = NoEpmd ? EpmdMode.Disabled : StartEpmd ? EpmdMode.Auto : EpmdMode.External,
            // As erl does: the epmd a node starts is a daemon of its own that outlives the node (and
            // every later node), never a part of this process.
            EpmdAutoStart = new EpmdAutoStartOptions { Mode = EpmdAutoStartMode.Detached, CommandPath = SelfCommand.Path },
        };
        if (NetTickTime is { } t) options.NetTickTime = t;
        return options;
    }
}
