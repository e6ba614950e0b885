using System.Diagnostics;
using System.Net.Sockets;
using Beamwire.Testing;

namespace Beamwire.Cli.Tests;

/// <summary>Runs the built <c>beamwire</c> command as a separate process, as a user would.</summary>
internal static class BeamwireCli
{
    /// <summary>
    /// The command under test: the build's apphost beside the tests, or the executable that
    /// <c>BEAMWIRE_TEST_CLI</c> names (scripts/test.sh runs the suite once more against the NativeAOT binary).
    /// </summary>
    public static string Path { get; } = Environment.GetEnvironmentVariable("BEAMWIRE_TEST_CLI") is { Length: > 0 } chosen
        ? System.IO.Path.GetFullPath(chosen)
        : System.IO.Path.Combine(AppContext.BaseDirectory, "beamwire");

    public static Task<OtpCommand.Result> RunAsync(params string[] args) => RunAsync(null, null, args);

    /// <summary>Runs beamwire with exactly <paramref name="env"/> on top of a cleaned environment, in <paramref name="cwd"/>.</summary>
    public static Task<OtpCommand.Result> RunAsync(IReadOnlyDictionary<string, string>? env, string? cwd, params string[] args) =>
        RunWithInputAsync(env, cwd, "", args);

    /// <summary>Runs beamwire with <paramref name="input"/> on its (piped, not a terminal) stdin.</summary>
    public static async Task<OtpCommand.Result> RunWithInputAsync(IReadOnlyDictionary<string, string>? env, string? cwd, string input, params string[] args)
    {
        using var p = Process.Start(StartInfo(args, env, cwd)) ?? throw new InvalidOperationException("cannot start beamwire");
        await p.StandardInput.WriteAsync(input);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"beamwire {string.Join(' ', args)} did not finish");
        }

        return new OtpCommand.Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts <c>beamwire epmd -port P ...</c> in the foreground and waits until it answers.</summary>
    public static async Task<Foreground> StartDaemonAsync(int port, params string[] extra)
    {
        var p = Process.Start(StartInfo(["epmd", "-port", port.ToString(), .. extra])) ?? throw new InvalidOperationException("cannot start beamwire");
        var stderr = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        var daemon = new Foreground(p, port, stderr);
        await WaitUntilListeningAsync(port, () => p.HasExited);
        return daemon;
    }

    public static async Task WaitUntilListeningAsync(int port, Func<bool>? gaveUp = null, string host = "127.0.0.1")
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(host, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && gaveUp?.Invoke() != true)
            {
                await Task.Delay(20);
            }
        }
    }

    public static async Task<bool> IsListeningAsync(int port)
    {
        try
        {
            using var c = new TcpClient();
            await c.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Starts a long-running beamwire (node, shell with piped input) with its output collected.</summary>
    public static BeamwireProcess Start(IReadOnlyDictionary<string, string>? env, string? cwd, params string[] args) =>
        new(Process.Start(StartInfo(args, env, cwd)) ?? throw new InvalidOperationException("cannot start beamwire"));

    private static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, string? cwd = null)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("ERL_EPMD_PORT");
        foreach (var k in psi.Environment.Keys.Where(k => k.StartsWith("BEAMWIRE_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(k);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        if (cwd is not null) psi.WorkingDirectory = cwd;
        return psi;
    }

    public sealed class Foreground(Process process, int port, System.Text.StringBuilder stderr) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public Process Process { get; } = process;

        public string StdErr
        {
            get { lock (stderr) return stderr.ToString(); }
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                await Process.WaitForExitAsync();
            }

            Process.Dispose();
        }
    }
}
