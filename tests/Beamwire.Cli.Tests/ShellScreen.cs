namespace Beamwire.Cli.Tests;

/// <summary>
/// A <c>beamwire shell</c> in a tmux terminal, used as a person uses it: type a line at the
/// <c>iex(node)N&gt;</c> prompt, wait for the next prompt, read what was printed in between.
/// </summary>
internal sealed class ShellScreen(TmuxTerminal terminal, string promptNode) : IAsyncDisposable
{
    private int _counter = 1;

    public TmuxTerminal Terminal => terminal;

    public string Prompt(int n) => $"iex({promptNode}){n}> ";

    public static Task<ShellScreen> StartAsync(string promptNode, IReadOnlyDictionary<string, string> env, params string[] args) =>
        StartAsync(promptNode, env, 200, args);

    public static async Task<ShellScreen> StartAsync(string promptNode, IReadOnlyDictionary<string, string> env, int width, params string[] args)
    {
        var command = string.Join(' ', new[] { BeamwireCli.Path, "shell" }.Concat(args).Select(Quote));
        var terminal = await TmuxTerminal.StartAsync(command, env, width);
        var screen = new ShellScreen(terminal, promptNode);
        try
        {
            await screen.WaitForPromptAsync(1, TimeSpan.FromSeconds(60));
        }
        catch
        {
            await terminal.DisposeAsync(); // never leave a tmux server (and the shell in it) behind
            throw;
        }

        return screen;
    }

    /// <summary>Types <paramref name="input"/>, waits for the next prompt and returns the output lines between.</summary>
    /// <param name="continued">the input completes an earlier incomplete line, at iex's <c>...(node)N&gt;</c> prompt.</param>
    public async Task<string> EvalAsync(string input, TimeSpan? timeout = null, bool continued = false)
    {
        var n = _counter++;
        await terminal.TypeLineAsync(input);
        var screen = await WaitForPromptAsync(n + 1, timeout);
        var start = continued ? $"...({promptNode}){n}> " : Prompt(n);
        return Between(screen, start + input, Prompt(n + 1).TrimEnd());
    }

    /// <summary>
    /// Waits for prompt <paramref name="n"/>. tmux drops trailing spaces, so an empty prompt line shows
    /// as <c>iex(node)N&gt;</c> at the end of a line; <c>N</c> must not be the start of a longer number.
    /// </summary>
    public Task<string> WaitForPromptAsync(int n, TimeSpan? timeout = null)
    {
        var bare = Prompt(n).TrimEnd();
        return terminal.WaitForAsync(s => s.Contains(bare + " ", StringComparison.Ordinal) || s.Contains(bare + "\n", StringComparison.Ordinal) || s.EndsWith(bare, StringComparison.Ordinal), $"prompt '{bare}'", timeout);
    }

    public static string Between(string screen, string start, string end)
    {
        var s = screen.LastIndexOf(start, StringComparison.Ordinal);
        if (s < 0) throw new InvalidOperationException($"'{start}' is not on the screen:\n{screen}");
        s += start.Length;
        var e = screen.IndexOf(end, s, StringComparison.Ordinal);
        return screen[s..(e < 0 ? screen.Length : e)].Trim('\n', ' ', '\r');
    }

    private static string Quote(string s) => s.All(c => char.IsLetterOrDigit(c) || "-_./@:=".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    public ValueTask DisposeAsync() => terminal.DisposeAsync();
}
