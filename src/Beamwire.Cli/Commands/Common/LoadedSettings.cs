using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands.Common;

/// <summary>
/// The settings of one run, merged from appsettings.json, <c>BEAMWIRE_*</c> environment variables and
/// command-line flags (later wins) through Microsoft.Extensions.Configuration. Every value is checked
/// against its <see cref="SettingType"/>; an error names the key, the value and where it came from,
/// and exits with <see cref="ExitCodes.Usage"/> (a flag) or <see cref="ExitCodes.Config"/> (file, environment).
/// </summary>
internal sealed class LoadedSettings
{
    private readonly Dictionary<SettingKey, (string Value, string Source)> _values;

    private LoadedSettings(Dictionary<SettingKey, (string, string)> values, IReadOnlyList<string> warnings)
    {
        _values = values;
        Warnings = warnings;
    }

    /// <summary>Things worth telling the user that do not stop the run (an unknown BEAMWIRE_ variable).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Loads the settings. <paramref name="flags"/> holds only flags given on the command line;
    /// <paramref name="configPath"/> is <c>--config</c> (must exist), else BEAMWIRE_CONFIG, else
    /// <c>./appsettings.json</c> when there is one.
    /// </summary>
    public static LoadedSettings Load(IReadOnlyDictionary<SettingKey, string> flags, string? configPath, IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        var warnings = new List<string>();
        var file = ResolveFile(configPath, environment);

        var env = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry e in environment)
        {
            if (e.Key is not string name || !name.StartsWith("BEAMWIRE_", StringComparison.Ordinal) || SettingKeys.OtherVariables.Contains(name))
                continue;
            var key = SettingKeys.All.FirstOrDefault(k => k.EnvironmentVariable == name);
            if (key is null)
                warnings.Add($"ignoring unknown environment variable {name} (settings: {string.Join(", ", SettingKeys.All.Select(k => k.EnvironmentVariable))})");
            else
                env[Path(key)] = e.Value as string ?? "";
        }

        var builder = new ConfigurationBuilder();
        if (file is not null) builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        builder.AddInMemoryCollection(env);
        builder.AddInMemoryCollection(flags.ToDictionary(f => Path(f.Key), f => (string?)f.Value, StringComparer.OrdinalIgnoreCase));

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Config, $"cannot read configuration file {file}: {FirstLine(ex)}", ex);
        }

        var section = root.GetSection(SettingKeys.Section);
        foreach (var child in section.GetChildren())
        {
            if (child.Key.Equals("Cluster", StringComparison.OrdinalIgnoreCase)) continue; // Beamwire:Cluster is read by the node command's cluster flags
            if (SettingKeys.Find(child.Key) is null || child.GetChildren().Any())
                throw new CliException(ExitCodes.Config,
                    $"unknown configuration key '{SettingKeys.Section}:{child.Key}' in {file} (known keys: {string.Join(", ", SettingKeys.All.Select(k => k.Key))})");
        }

        var values = new Dictionary<SettingKey, (string, string)>();
        foreach (var key in SettingKeys.All)
        {
            string source;
            string? value;
            if (flags.TryGetValue(key, out var flag))
            {
                (value, source) = (flag, "command line");
            }
            else if (env.TryGetValue(Path(key), out var fromEnv))
            {
                (value, source) = (fromEnv, "environment variable " + key.EnvironmentVariable);
            }
            else
            {
                value = section[key.Key];
                source = file ?? "";
            }

            if (value is null) continue;
            var result = (value.Trim(), source);
            Check(key, result);
            values[key] = result;
        }

        return new LoadedSettings(values, warnings);
    }

    private static string Path(SettingKey key) => SettingKeys.Section + ":" + key.Key;

    private static string? ResolveFile(string? configPath, IDictionary environment)
    {
        if (configPath is null && environment["BEAMWIRE_CONFIG"] is string { Length: > 0 } fromEnv) configPath = fromEnv;
        if (configPath is not null)
        {
            var full = System.IO.Path.GetFullPath(configPath);
            if (!File.Exists(full)) throw new CliException(ExitCodes.Config, $"configuration file {configPath} does not exist");
            return full;
        }

        var local = System.IO.Path.GetFullPath("appsettings.json");
        return File.Exists(local) ? local : null;
    }

    private static string FirstLine(Exception ex)
    {
        var m = (ex.InnerException ?? ex).Message;
        var nl = m.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? m : m[..nl];
    }

    private static void Check(SettingKey key, (string Value, string Source) v)
    {
        var ok = key.Type switch
        {
            SettingType.Text => v.Value.Length > 0,
            SettingType.Port => TryPort(v.Value, out _),
            SettingType.PortRange => TryRange(v.Value, out _),
            SettingType.Bool => TryBool(v.Value, out _),
            SettingType.Seconds => int.TryParse(v.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s >= 1,
            SettingType.LogLevel => TryLogLevel(v.Value, out _),
            _ => true,
        };
        if (ok) return;
        var expected = key.Type switch
        {
            SettingType.Port => "a port number 0-65535",
            SettingType.PortRange => "a port range A-B with 1 <= A <= B <= 65535",
            SettingType.Bool => "true or false",
            SettingType.Seconds => "a whole number of seconds >= 1",
            SettingType.LogLevel => "trace, debug, information, warning, error or none",
            _ => "a non-empty value",
        };
        var fromFlag = v.Source == "command line";
        var where = fromFlag ? $"--{Kebab(key.Key)}" : $"{SettingKeys.Section}:{key.Key} (from {v.Source})";
        throw new CliException(fromFlag ? ExitCodes.Usage : ExitCodes.Config, $"{where}: '{v.Value}' is not {expected}");
    }

    public static string Kebab(string key) => string.Concat(key.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static bool TryPort(string s, out int port) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;

    public static bool TryRange(string s, out (int Min, int Max) range)
    {
        range = default;
        var dash = s.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !TryPort(s[..dash], out var a) || !TryPort(s[(dash + 1)..], out var b) || a < 1 || a > b) return false;
        range = (a, b);
        return true;
    }

    public static bool TryBool(string s, out bool value)
    {
        switch (s.ToLowerInvariant())
        {
            case "true" or "1" or "yes": value = true; return true;
            case "false" or "0" or "no": value = false; return true;
            default: value = false; return false;
        }
    }

    public static bool TryLogLevel(string s, out LogLevel level)
    {
        level = s.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "information" or "info" => LogLevel.Information,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "none" => LogLevel.None,
            _ => (LogLevel)(-1),
        };
        return (int)level >= 0;
    }

    public string? Text(SettingKey key) => _values.TryGetValue(key, out var v) ? v.Value : null;

    public int? Port(SettingKey key) => _values.TryGetValue(key, out var v) && TryPort(v.Value, out var p) ? p : null;

    public (int Min, int Max)? Range(SettingKey key) => _values.TryGetValue(key, out var v) && TryRange(v.Value, out var r) ? r : null;

    public bool? Bool(SettingKey key) => _values.TryGetValue(key, out var v) && TryBool(v.Value, out var b) ? b : null;

    public int? Seconds(SettingKey key) => _values.TryGetValue(key, out var v) ? int.Parse(v.Value, CultureInfo.InvariantCulture) : null;

    public LogLevel? Level(SettingKey key) => _values.TryGetValue(key, out var v) && TryLogLevel(v.Value, out var l) ? l : null;

    /// <summary>Where a setting came from ("command line", a file path, an environment variable), for messages.</summary>
    public string? SourceOf(SettingKey key) => _values.TryGetValue(key, out var v) ? v.Source : null;
}
