using System.CommandLine;
using System.Globalization;

namespace Beamwire.Cli.Commands.Common;

/// <summary>
/// The flags that describe a node, shared by <c>node</c> and <c>shell</c> (and, in part, by <c>ping</c>
/// and <c>rpc</c>). Each has the iex spelling (<c>--sname</c>, <c>--cookie</c>, <c>--hidden</c>) and,
/// where erl has one, erl's (<c>-sname</c>, <c>-setcookie</c>, <c>-hidden</c>). Values are handed to
/// <see cref="LoadedSettings"/> as text so that a flag, an environment variable and a JSON key are
/// checked by the same rules.
/// </summary>
internal sealed class NodeFlags
{
    private readonly List<(Option Option, SettingKey Key)> _options = [];

    public NodeFlags(bool nodeIdentity = true)
    {
        if (nodeIdentity)
        {
            Text(SettingKeys.Sname, "NAME", "--sname", "-sname");
            Text(SettingKeys.Name, "NAME", "--name", "-name");
        }

        Text(SettingKeys.Cookie, "COOKIE", "--cookie", "-setcookie");
        if (nodeIdentity)
        {
            Text(SettingKeys.Port, "N", "--port");
            Text(SettingKeys.PortRange, "A-B", "--port-range");
        }

        Text(SettingKeys.EpmdPort, "N", "--epmd-port");
        if (nodeIdentity)
        {
            Flag(SettingKeys.NoEpmd, "--no-epmd");
            Text(SettingKeys.StartEpmd, "true|false", "--start-epmd", "-start_epmd");
            Flag(SettingKeys.Hidden, "--hidden", "-hidden");
            Text(SettingKeys.NetTickTime, "SECONDS", "--net-ticktime");
        }

        Text(SettingKeys.LogLevel, "LEVEL", "--log-level");
        Config = new Option<string>("--config") { Description = "appsettings.json to read (default: BEAMWIRE_CONFIG, else ./appsettings.json if present)", HelpName = "FILE" };
    }

    public Option<string> Config { get; }

    public void AddTo(Command command)
    {
        foreach (var (option, _) in _options) command.Add(option);
        command.Add(Config);
    }

    /// <summary>The flags given on this command line (not defaults), as setting texts.</summary>
    public Dictionary<SettingKey, string> Read(ParseResult result)
    {
        var flags = new Dictionary<SettingKey, string>();
        foreach (var (option, key) in _options)
        {
            if (result.GetResult(option) is not { Implicit: false }) continue;
            flags[key] = option switch
            {
                Option<bool> b => result.GetValue(b) ? "true" : "false",
                Option<string> s => result.GetValue(s) ?? "",
                _ => "",
            };
        }

        return flags;
    }

    /// <summary>Loads the settings for this command line (flags over environment over file).</summary>
    public LoadedSettings Load(ParseResult result)
    {
        var settings = LoadedSettings.Load(Read(result), result.GetValue(Config));
        foreach (var w in settings.Warnings) Console.Error.WriteLine("beamwire: warning: " + w);
        return settings;
    }

    private void Text(SettingKey key, string helpName, string name, params string[] aliases) =>
        _options.Add((new Option<string>(name, aliases) { Description = Describe(key), HelpName = helpName }, key));

    private void Flag(SettingKey key, string name, params string[] aliases) =>
        _options.Add((new Option<bool>(name, aliases) { Description = Describe(key) }, key));

    private static string Describe(SettingKey key) =>
        string.Create(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(key.Help[0])}{key.Help[1..]} [env {key.EnvironmentVariable}, config {SettingKeys.Section}:{key.Key}]");
}
