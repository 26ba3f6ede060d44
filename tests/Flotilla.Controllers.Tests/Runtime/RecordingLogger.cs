using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Tests.Runtime;

internal sealed record LogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>Keeps every log entry and lets a test wait for entries with a given event id.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Lock gate = new();
    private readonly Signals signals = new();
    private readonly List<LogEntry> entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries];
            }
        }
    }

    public Task WhenLogged(int eventId, int count = 1)
    {
        lock (gate)
        {
            return signals.When(() => entries.Count(e => e.EventId.Id == eventId) >= count);
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (gate)
        {
            entries.Add(new LogEntry(logLevel, eventId, formatter(state, exception), exception));
            signals.Check();
        }
    }
}
