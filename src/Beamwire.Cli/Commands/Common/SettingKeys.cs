namespace Beamwire.Cli.Commands.Common;

/// <summary>The type a setting's text must parse as; used to check values from every source alike.</summary>
internal enum SettingType
{
    Text,
    Port,
    PortRange,
    Bool,
    Seconds,
    LogLevel,
}

/// <summary>
/// One setting: its key in appsettings.json (under <c>"Beamwire"</c>), its environment variable and
/// its type. A flag on the command line, an environment variable and a JSON key are three spellings
/// of the same setting; flags win over the environment, which wins over the file.
/// </summary>
internal sealed record SettingKey(string Key, SettingType Type, string Help)
{
    /// <summary><c>EpmdPort</c> → <c>BEAMWIRE_EPMD_PORT</c>.</summary>
    public string EnvironmentVariable { get; } = "BEAMWIRE_" + ToSnake(Key);

    private static string ToSnake(string key)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < key.Length; i++)
        {
            if (i > 0 && char.IsUpper(key[i])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(key[i]));
        }

        return sb.ToString();
    }
}

/// <summary>Every setting <c>beamwire</c> reads from configuration. A key not listed here is an error in appsettings.json.</summary>
internal static class SettingKeys
{
    public const string Section = "Beamwire";

    public static readonly SettingKey Sname = new("Sname", SettingType.Text, "short node name (node1 or node1@host)");
    public static readonly SettingKey Name = new("Name", SettingType.Text, "long node name (node1@host.domain)");
    public static readonly SettingKey Cookie = new("Cookie", SettingType.Text, "the distribution cookie (default: ~/.erlang.cookie)");
    public static readonly SettingKey Port = new("Port", SettingType.Port, "distribution listen port (0: any free port)");
    public static readonly SettingKey PortRange = new("PortRange", SettingType.PortRange, "distribution listen port range, A-B");
    public static readonly SettingKey EpmdPort = new("EpmdPort", SettingType.Port, "epmd port (default: ERL_EPMD_PORT, else 4369)");
    public static readonly SettingKey NoEpmd = new("NoEpmd", SettingType.Bool, "run without epmd: listen on Port, reach peers on the same port");
    public static readonly SettingKey StartEpmd = new("StartEpmd", SettingType.Bool, "start epmd (a detached `beamwire epmd -daemon`, as erl starts one) when none answers (default true)");
    public static readonly SettingKey Hidden = new("Hidden", SettingType.Bool, "hidden node: not listed in peers' Node.list()");
    public static readonly SettingKey NetTickTime = new("NetTickTime", SettingType.Seconds, "seconds of silence after which a peer is considered down (default 60)");
    public static readonly SettingKey LogLevel = new("LogLevel", SettingType.LogLevel, "log level: trace, debug, information, warning, error, none");

    public static IReadOnlyList<SettingKey> All { get; } =
        [Sname, Name, Cookie, Port, PortRange, EpmdPort, NoEpmd, StartEpmd, Hidden, NetTickTime, LogLevel];

    /// <summary>Environment variables with our prefix that are not settings (the test harness's, the config file's).</summary>
    public static IReadOnlySet<string> OtherVariables { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "BEAMWIRE_CONFIG", "BEAMWIRE_OTP_SKIP", "BEAMWIRE_OTP_CACHE", "BEAMWIRE_HISTORY",
    };

    public static SettingKey? Find(string key) =>
        All.FirstOrDefault(k => string.Equals(k.Key, key, StringComparison.OrdinalIgnoreCase));
}
