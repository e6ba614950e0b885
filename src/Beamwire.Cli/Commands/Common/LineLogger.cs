using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands.Common;

/// <summary>
/// Log output for people and container logs alike: one line per event,
/// <c>10:44:12.345 [info] nodeup node2@host</c>, no categories, no stack traces (an exception adds
/// its message only). The sink decides where lines go (stdout for <c>node</c>, stderr or the shell's
/// screen otherwise).
/// </summary>
internal sealed class LineLoggerProvider(LogLevel minimum, Action<string> sink) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly LogLevel _minimum = minimum;
    private readonly Action<string> _sink = sink;

    public ILogger CreateLogger(string categoryName) => new LineLogger(this);

    public void Dispose() { }

    /// <summary>
    /// A factory whose own (Beamwire.Cli) lines show from <paramref name="minimum"/>; the libraries'
    /// lines show from Warning unless Debug or Trace was asked for, so that the default output is
    /// the command's own story (started, nodeup, nodedown, stopped) plus real problems.
    /// </summary>
    public static ILoggerFactory Factory(LogLevel minimum, Action<string> sink) =>
        LoggerFactory.Create(b => b
            .SetMinimumLevel(minimum)
            .AddFilter((category, level) => level >= minimum &&
                (level >= LogLevel.Warning || minimum <= LogLevel.Debug || category?.StartsWith("Beamwire.Cli", StringComparison.Ordinal) == true))
            .AddProvider(new LineLoggerProvider(minimum, sink)));

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };

    private sealed class LineLogger(LineLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var text = formatter(state, exception);
            if (exception is not null && !text.Contains(exception.Message, StringComparison.Ordinal)) text += ": " + exception.Message;
            var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:HH:mm:ss.fff} [{Level(logLevel)}] {text.ReplaceLineEndings(" ")}");
            lock (owner._gate) owner._sink(line);
        }
    }
}
