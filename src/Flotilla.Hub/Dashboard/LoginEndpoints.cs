using Flotilla.Hub.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Flotilla.Hub.Dashboard.Html;

namespace Flotilla.Hub.Dashboard;

/// <summary>
/// Log in with a bearer token (posted in the form body, never in a URL; checked with TokenReview and then forgotten)
/// and log out. A login posted from another origin is refused.
/// </summary>
public static class LoginEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RequestAuth auth)
    {
        app.MapGet("/login", (HttpContext http) => DashboardHost.HtmlPage(Form(Next(http.Request.Query["next"]), null), StatusCodes.Status200OK));
        app.MapPost("/login", async (HttpContext http) =>
        {
            if (!http.Request.HasFormContentType) return DashboardHost.HtmlPage(Form("/", "post the login form"), StatusCodes.Status400BadRequest);
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var next = Next(form["next"]);
            if (!RequestAuth.SameOrigin(http)) return DashboardHost.HtmlPage(Form(next, "login refused: posted from another site"), StatusCodes.Status403Forbidden);
            var token = form["token"].ToString().Trim();
            if (token.Length == 0) return DashboardHost.HtmlPage(Form(next, "enter a token"), StatusCodes.Status400BadRequest);
            var caller = await auth.Reviewer.AuthenticateAsync(token, http.RequestAborted);
            if (caller is null) return DashboardHost.HtmlPage(Form(next, "the hub's API server did not accept this token"), StatusCodes.Status401Unauthorized);
            RequestAuth.SetCookie(http, auth.Sessions.Create(caller));
            return Results.Redirect(next);
        });
        app.MapPost("/logout", async (HttpContext http) =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
            var session = auth.Sessions.Find(http.Request.Cookies[SessionStore.CookieName]);
            if (session is not null)
            {
                if (!RequestAuth.PassesCsrf(http, session, form?["_csrf"])) return Results.Text("missing or wrong CSRF token", statusCode: StatusCodes.Status403Forbidden);
                auth.Sessions.End(session.Id);
            }
            http.Response.Cookies.Delete(SessionStore.CookieName);
            return Results.Redirect("/login");
        });
    }

    // Only a local path: a "next" pointing at another site would make the login an open redirect.
    private static string Next(string? next) =>
        next is { Length: > 1 } && next[0] == '/' && next[1] != '/' && next[1] != '\\' ? next : "/";

    private static string Form(string next, string? error) => PageLayout.Render("Log in", null,
        (error is null ? "" : $"<p class=\"error\" id=\"login-error\">{E(error)}</p>") +
        "<form method=\"post\" action=\"/login\" class=\"login\"><p>Paste a bearer token for the hub's API server. " +
        "What you may see and do is what its Kubernetes RBAC allows.</p>" +
        $"<input type=\"hidden\" name=\"next\" value=\"{E(next)}\">" +
        "<input type=\"password\" name=\"token\" autocomplete=\"off\" size=\"60\" aria-label=\"token\"> <button>Log in</button></form>", live: false);
}
