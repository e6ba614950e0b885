using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cluster.Tests.Support;

/// <summary>A logger factory that keeps every formatted line ("Warning: [libcluster:example] ...") and lets a test await one.</summary>
internal sealed class LogLines : ILoggerFactory, ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Text => string.Join('\n', _lines);

    public int Count(string fragment) => _lines.Count(l => l.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Completes with the first line (already logged or still to come) containing <paramref name="fragment"/>.</summary>
    public async Task<string> WaitForAsync(string fragment, TimeSpan? timeout = null)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            var hit = _lines.FirstOrDefault(l => l.Contains(fragment, StringComparison.Ordinal));
            if (hit is not null) return hit;
            _waiters.Add((l => l.Contains(fragment, StringComparison.Ordinal), tcs));
        }

        try
        {
            return await tcs.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no log line containing '{fragment}'. Lines:\n{Text}");
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var line = $"{logLevel}: {formatter(state, exception)}";
        lock (_waiters)
        {
            _lines.Enqueue(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(line)) continue;
                _waiters[i].Done.TrySetResult(line);
                _waiters.RemoveAt(i);
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }
}
