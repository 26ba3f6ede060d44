using Microsoft.AspNetCore.Http;

namespace Flotilla.Hub.Api.Auth;

/// <summary>
/// Who sent a request and whether the hub's RBAC lets them: an <c>Authorization: Bearer</c> header (API clients; checked
/// with TokenReview) or the dashboard's session cookie. A cookie-borne request that changes state must also carry the
/// session's CSRF token, and its Origin, when sent, must be this server's own; a bearer header is not sent by a
/// browser on its own, so it needs neither.
/// </summary>
public sealed class RequestAuth(AccessReviewer reviewer, SessionStore sessions)
{
    public const string CsrfHeader = "X-CSRF-Token";

    public SessionStore Sessions => sessions;

    public AccessReviewer Reviewer => reviewer;

    /// <summary>The caller, and the session when the cookie authenticated it; (null, null) for an anonymous request.</summary>
    public async Task<(Caller? Caller, Session? Session)> IdentifyAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            return token.Length == 0 ? (null, null) : (await reviewer.AuthenticateAsync(token, http.RequestAborted), null);
        }
        var session = sessions.Find(http.Request.Cookies[SessionStore.CookieName]);
        return (session?.Caller, session);
    }

    /// <summary>
    /// Null when the caller may do every one of <paramref name="checks"/>; otherwise the answer to send: 401 for an
    /// anonymous caller, 403 naming the first refused permission.
    /// </summary>
    public async Task<AccessDenial?> CheckAsync(Caller? caller, IEnumerable<AccessCheck> checks, CancellationToken ct)
    {
        if (caller is null) return new AccessDenial(StatusCodes.Status401Unauthorized, "log in first: no valid session or bearer token");
        foreach (var check in checks)
            if (!await reviewer.AllowedAsync(caller, check, ct))
                return new AccessDenial(StatusCodes.Status403Forbidden, $"{caller.User} may not {check}");
        return null;
    }

    /// <summary>True when a state-changing request is not a cross-site forgery (see the type's remarks).</summary>
    public static bool PassesCsrf(HttpContext http, Session? session, string? formToken = null)
    {
        if (session is null) return true; // bearer header: no ambient credential to forge with
        if (!SameOrigin(http)) return false;
        return session.CsrfMatches(http.Request.Headers[CsrfHeader].FirstOrDefault() ?? formToken);
    }

    /// <summary>False when the request names an Origin other than this server's (a login form posted from another site).</summary>
    public static bool SameOrigin(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sets the session cookie: HttpOnly, SameSite=Strict, Secure when served over https, for the whole site.</summary>
    public static void SetCookie(HttpContext http, Session session) =>
        http.Response.Cookies.Append(SessionStore.CookieName, session.Id, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/", Expires = session.Expires,
        });
}

/// <summary>Why a request is refused: the status code (401, 403) and a message safe to show (it names no token).</summary>
public sealed record AccessDenial(int StatusCode, string Message);
