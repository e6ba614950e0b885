using System.Diagnostics;
using System.Net.Sockets;
using Beamwire.Cli.Commands.Common;

namespace Beamwire.Cli.Commands.Epmd;

/// <summary>
/// <c>-daemon</c>: start the daemon detached from this terminal and session, as epmd's double fork
/// does. .NET cannot fork, so this process starts itself again (without <c>-daemon</c>, with
/// <see cref="SessionDetach.Variable"/> set: the child leaves this session and puts its stdio on
/// /dev/null itself, see <see cref="SessionDetach"/>), then returns once the port answers.
/// </summary>
internal static class EpmdDetach
{
    public static async Task<int> StartDetachedAsync(int port, CancellationToken ct)
    {
        var args = Environment.GetCommandLineArgs().Skip(1).Where(a => a != "-daemon").ToList();
        var command = new List<string>(SelfCommand.Argv);
        command.AddRange(args);

        // Pipes, not this process's own stdio: the child replaces them with /dev/null at once, and
        // closing our ends here leaves it holding nothing of ours.
        var psi = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            WorkingDirectory = "/",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment[SessionDetach.Variable] = "1";
        foreach (var a in command.Skip(1))
            psi.ArgumentList.Add(a);
        using (var child = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {command[0]}"))
        {
            child.StandardInput.Close();
        }

        // epmd's parent exits at once; we wait (up to 10 s) until the port answers, so that the
        // caller can use it right away. If another epmd holds the port, the child exits and that
        // one answers: also success, as with epmd.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await AnswersAsync(port, ct).ConfigureAwait(false))
                return 0;
            await Task.Delay(25, ct).ConfigureAwait(false);
        }

        await Console.Error.WriteAsync($"epmd: the detached epmd did not start listening on port {port}\n").ConfigureAwait(false);
        return 1;
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken ct)
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(System.Net.IPAddress.Loopback, port, ct).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
