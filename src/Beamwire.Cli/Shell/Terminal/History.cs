namespace Beamwire.Cli.Shell.Terminal;

/// <summary>
/// Input history kept across sessions in a file (BEAMWIRE_HISTORY, else ~/.beamwire/shell_history),
/// one entry per line, appended as each line is entered so a killed shell loses nothing. The newest
/// <see cref="Limit"/> entries are kept.
/// </summary>
internal sealed class History
{
    public const int Limit = 1000;

    private readonly List<string> _entries = [];
    private readonly string? _path;

    public History(string? path)
    {
        _path = path;
        if (path is null || !File.Exists(path)) return;
        try
        {
            var lines = File.ReadAllLines(path);
            _entries.AddRange(lines.Where(l => l.Length > 0).TakeLast(Limit));
            if (lines.Length > Limit * 2) File.WriteAllLines(path, _entries); // compact now and then
        }
        catch (IOException)
        {
            // An unreadable history is not worth failing the shell over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static string? DefaultPath()
    {
        if (Environment.GetEnvironmentVariable("BEAMWIRE_HISTORY") is { Length: > 0 } p) return p;
        var home = Environment.GetEnvironmentVariable("HOME");
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".beamwire", "shell_history");
    }

    public int Count => _entries.Count;

    public string this[int index] => _entries[index];

    public void Add(string line)
    {
        if (line.Length == 0 || line.Contains('\n', StringComparison.Ordinal)) return;
        if (_entries.Count > 0 && _entries[^1] == line) return;
        _entries.Add(line);
        if (_entries.Count > Limit) _entries.RemoveAt(0);
        if (_path is null) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            File.AppendAllText(_path, line + "\n");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
