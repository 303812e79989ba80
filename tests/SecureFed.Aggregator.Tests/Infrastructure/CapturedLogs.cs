using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>An ILoggerProvider that keeps every event (id, level, category, formatted message) for assertions.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(EventId Id, LogLevel Level, string Category, string Message)> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Events.Enqueue((eventId, logLevel, category, formatter(state, exception)));
    }
}
