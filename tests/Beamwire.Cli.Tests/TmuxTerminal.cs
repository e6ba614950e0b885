using System.Diagnostics;

namespace Beamwire.Cli.Tests;

/// <summary>
/// A real pseudo-terminal driven as a person drives it: a private tmux server (its own socket, so
/// parallel tests never meet) running one command; keys go in with send-keys, the screen comes back
/// with capture-pane.
/// </summary>
internal sealed class TmuxTerminal : IAsyncDisposable
{
    // An explicit socket file (tmux -S) so that disposing removes every trace of the server.
    private readonly string _socket = Path.Combine(Path.GetTempPath(), "bwtest-" + Guid.NewGuid().ToString("N")[..12] + ".tmux");

    private TmuxTerminal() { }

    public static async Task<TmuxTerminal> StartAsync(string command, IReadOnlyDictionary<string, string> env, int width = 200, int height = 60)
    {
        var t = new TmuxTerminal();
        var args = new List<string> { "new-session", "-d", "-s", "main", "-x", width.ToString(), "-y", height.ToString() };
        foreach (var (k, v) in env) args.AddRange(["-e", $"{k}={v}"]);
        // Keep the pane after the program exits, so its last words and exit status can be read.
        args.Add(command + "; echo \"[exited $?]\"; sleep 600");
        await t.TmuxAsync(args);
        return t;
    }

    /// <summary>Types text literally, then presses Enter.</summary>
    public Task TypeLineAsync(string text) => TypeAsync(text, "Enter");

    /// <summary>Types text literally, then presses the named keys (Enter, Tab, Up, C-c, C-d ...).</summary>
    public async Task TypeAsync(string text, params string[] keys)
    {
        if (text.Length > 0) await TmuxAsync(["send-keys", "-t", "main", "-l", text]);
        if (keys.Length > 0) await TmuxAsync(["send-keys", "-t", "main", .. keys]);
    }

    /// <summary>The screen and its scrollback, trailing blank lines removed.</summary>
    public async Task<string> ScreenAsync() =>
        (await TmuxAsync(["capture-pane", "-p", "-t", "main", "-S", "-2000"])).TrimEnd('\n', ' ');

    /// <summary>Waits until the screen satisfies <paramref name="condition"/>; fails with the screen in the message.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var screen = await ScreenAsync();
            if (condition(screen)) return screen;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the terminal never showed {what}. Screen:\n{screen}");
            await Task.Delay(100);
        }
    }

    /// <summary>The cursor's column: 0 once a line editor has taken Enter and moved to the next line.</summary>
    public async Task<int> CursorColumnAsync() =>
        int.Parse((await TmuxAsync(["display-message", "-p", "-t", "main", "#{cursor_x}"])).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public Task<string> WaitForTextAsync(string text, TimeSpan? timeout = null) =>
        WaitForAsync(s => s.Contains(text, StringComparison.Ordinal), $"'{text}'", timeout);

    /// <summary>Waits for the n-th occurrence of <paramref name="text"/> on screen (prompts repeat).</summary>
    public Task<string> WaitForCountAsync(string text, int count, TimeSpan? timeout = null) =>
        WaitForAsync(s => Occurrences(s, text) >= count, $"'{text}' {count} times", timeout);

    public static int Occurrences(string s, string text)
    {
        var n = 0;
        for (var i = s.IndexOf(text, StringComparison.Ordinal); i >= 0; i = s.IndexOf(text, i + text.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private async Task<string> TmuxAsync(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-S");
        psi.ArgumentList.Add(_socket);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (p.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {await error}");
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync(["kill-server"]);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        File.Delete(_socket);
    }
}
