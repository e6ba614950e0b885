using System.Diagnostics;
using System.Text;

namespace Beamwire.Cli.Tests;

/// <summary>A running beamwire process (e.g. <c>beamwire node</c>) whose stdout and stderr are collected line by line.</summary>
internal sealed class BeamwireProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();

    public BeamwireProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async Task<string> WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (Process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
            {
                await DrainAsync(); // the last lines may still be in the pipes
                if (!Output.Contains(text, StringComparison.Ordinal))
                    throw new InvalidOperationException($"beamwire exited ({Process.ExitCode}) without printing '{text}'. Output:\n{Output}");
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"beamwire did not print '{text}'. Output:\n{Output}");
            await Task.Delay(50);
        }

        return Output;
    }

    /// <summary>Waits for the output pipes to reach their end (WaitForExitAsync does once the process exited).</summary>
    private async Task DrainAsync()
    {
        try
        {
            await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // A detached child still holds the pipe: what arrived is all there is.
        }
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Process.Id.ToString()]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await Process.WaitForExitAsync().WaitAsync(timeout);
        Process.WaitForExit(); // drains the asynchronous output readers
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }
}
