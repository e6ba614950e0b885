using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Beamwire.Epmd.Tests.Support;

/// <summary>Keeps every log line, so tests can assert that bad input was logged.</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, formatter(state, exception)));

    public int Count(string fragment) => Lines.Count(l => l.Message.Contains(fragment, StringComparison.Ordinal));
}
