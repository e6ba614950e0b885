using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Tests.Support;

/// <summary>An ILogger / ILoggerFactory that keeps every formatted line, for asserting on log output.</summary>
internal sealed class CapturingLogger : ILogger, ILoggerFactory, ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Text => string.Join('\n', _lines);

    public bool Contains(string fragment) => _lines.Any(l => l.Contains(fragment, StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{logLevel}: {formatter(state, exception)}";
        _lines.Enqueue(line);
        if (Environment.GetEnvironmentVariable("BEAMWIRE_TEST_LOG") is { Length: > 0 } path)
        {
            lock (_lines) File.AppendAllText(path, $"{DateTime.Now:HH:mm:ss.fff} {line}{(exception is null ? "" : "\n" + exception)}\n");
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }
}
