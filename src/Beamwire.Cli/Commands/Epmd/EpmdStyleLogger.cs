using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands.Epmd;

/// <summary>
/// Log lines on stderr in epmd's shape, <c>epmd: Wed Nov 25 09:57:56 2026: message</c>. Like epmd,
/// problems (warnings: bad requests, refusals) always show; each <c>-d</c> shows one level more.
/// </summary>
internal sealed class EpmdStyleLogger(int debug) : ILogger
{
    private readonly LogLevel _minimum = debug switch
    {
        0 => LogLevel.Warning,
        1 => LogLevel.Debug,
        _ => LogLevel.Trace,
    };

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
            return;
        var now = DateTime.Now;
        // ctime(3): "Wed Nov  5 09:57:56 2026"
        var stamp = string.Create(CultureInfo.InvariantCulture, $"{now:ddd MMM} {now.Day,2} {now:HH:mm:ss yyyy}");
        Console.Error.Write($"epmd: {stamp}: {formatter(state, exception)}\r\n");
    }
}
