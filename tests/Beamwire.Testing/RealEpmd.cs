using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Beamwire.Testing;

/// <summary>
/// A real epmd of a given release in the foreground on a private port, killed on dispose, so a test
/// never depends on (or disturbs) a system epmd on 4369.
/// </summary>
public sealed class RealEpmd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _pumps;

    private RealEpmd(Process process, int port)
    {
        _process = process;
        Port = port;
        // Read what epmd prints (with -d it prints a lot): an unread pipe would fill and block it.
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
        process.StandardInput.Close();
    }

    public int Port { get; }

    /// <summary>The epmd OS process (in a chroot: the same process, chroot execs epmd).</summary>
    public int ProcessId => _process.Id;

    /// <summary>What epmd printed so far (stdout and stderr; debug lines with <c>-d</c>).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            lock (_output) _output.AppendLine(line);
    }

    public static async Task<RealEpmd> StartAsync(OtpRelease release = OtpRelease.Otp25, int? port = null, params string[] extraArgs)
    {
        var p = port ?? FreePort.Next();
        var args = new List<string> { "-port", p.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        args.AddRange(extraArgs);
        var process = Process.Start(OtpInstall.Get(release).StartInfo("epmd", args))
            ?? throw new InvalidOperationException("could not start epmd");
        var epmd = new RealEpmd(process, p);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync("127.0.0.1", p).ConfigureAwait(false);
                return epmd;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(20).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                await epmd.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"real epmd ({release}) did not start on port {p}. Output:\n{epmd.Output}");
            }
        }
    }

    /// <summary>Environment for a process that should use this epmd.</summary>
    public IDictionary<string, string> Env => new Dictionary<string, string>
    {
        ["ERL_EPMD_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(); } catch (InvalidOperationException) { }
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await _pumps.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }
}
