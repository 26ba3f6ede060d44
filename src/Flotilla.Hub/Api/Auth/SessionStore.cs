using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Flotilla.Hub.Api.Auth;

/// <summary>
/// Dashboard sessions, in memory: a random id (the HttpOnly cookie) maps to the user the login's TokenReview returned
/// and a per-session CSRF token. The bearer token itself is not kept: every read and action is a SubjectAccessReview
/// for the user. A session ends after <see cref="Lifetime"/> or at logout; a restarted hub forgets all (log in again).
/// </summary>
public sealed class SessionStore(TimeProvider clock)
{
    public const string CookieName = "flotilla_session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private const int MaxSessions = 10_000;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public Session Create(Caller caller)
    {
        if (_sessions.Count >= MaxSessions) Expire();
        var session = new Session(NewSecret(), caller, NewSecret(), clock.GetUtcNow() + Lifetime);
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session with this id, or null.</summary>
    public Session? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session)) return null;
        if (session.Expires > clock.GetUtcNow()) return session;
        _sessions.TryRemove(id, out _);
        return null;
    }

    public void End(string id) => _sessions.TryRemove(id, out _);

    private void Expire()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, s) in _sessions)
            if (s.Expires <= now) _sessions.TryRemove(id, out _);
        // Still full: the oldest go, so a flood of logins cannot grow memory without bound.
        foreach (var s in _sessions.Values.OrderBy(s => s.Expires).Take(Math.Max(0, _sessions.Count - MaxSessions + 1)).ToList())
            _sessions.TryRemove(s.Id, out _);
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>One logged-in user: <see cref="Csrf"/> must come back in the <c>X-CSRF-Token</c> header (or the form's <c>_csrf</c>) of every state-changing request.</summary>
public sealed record Session(string Id, Caller Caller, string Csrf, DateTimeOffset Expires)
{
    public bool CsrfMatches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(presented), System.Text.Encoding.UTF8.GetBytes(Csrf));
}
