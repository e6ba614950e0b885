namespace Beamwire.Cli.Tests;

/// <summary>
/// A HOME of its own for one test (cookie file, shell history, appsettings.json all stay inside),
/// and the environment a beamwire process gets: only what the test sets, no BEAMWIRE_* from outside.
/// </summary>
internal sealed class CliSandbox : IDisposable
{
    public CliSandbox()
    {
        Home = Path.Combine(Path.GetTempPath(), "bw-cli-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Home);
    }

    public string Home { get; }

    public Dictionary<string, string> Env(int? epmdPort = null, params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string> { ["HOME"] = Home, ["TERM"] = "xterm" };
        if (epmdPort is { } p) env["ERL_EPMD_PORT"] = p.ToString();
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    public void Dispose()
    {
        // A beamwire process that is still exiting may write its history or cookie a moment longer.
        for (var attempt = 0; attempt < 10 && Directory.Exists(Home); attempt++)
        {
            try
            {
                Directory.Delete(Home, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
            catch (UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }
}
