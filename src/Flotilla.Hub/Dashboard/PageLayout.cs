using System.Text;
using Flotilla.Hub.Api.Auth;
using static Flotilla.Hub.Dashboard.Html;

namespace Flotilla.Hub.Dashboard;

/// <summary>
/// The frame of every page: navigation, who is logged in, the CSRF token for the page's script (a meta tag, never a
/// cookie the script could not read nor a URL), and <c>&lt;main&gt;</c>, which the script swaps for a fresh copy when
/// the live-update stream says something changed.
/// </summary>
public static class PageLayout
{
    private static readonly (string Path, string Title)[] Nav =
        [("/", "Overview"), ("/clusters", "Clusters"), ("/matrix", "Matrix"), ("/bundles", "Bundles"), ("/sources", "Sources")];

    public static string Render(string title, Session? session, string main, bool live = true)
    {
        var page = new StringBuilder(main.Length + 2048);
        page.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        page.Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        page.Append($"<title>{E(title)} · Flotilla</title><link rel=\"stylesheet\" href=\"/assets/dashboard.css\">");
        if (session is not null) page.Append($"<meta name=\"csrf-token\" content=\"{E(session.Csrf)}\">");
        page.Append("</head><body><header><strong>Flotilla</strong><nav>");
        foreach (var (path, name) in Nav) page.Append($"<a href=\"{path}\">{name}</a>");
        page.Append("</nav>");
        if (session is not null)
            page.Append($"<form method=\"post\" action=\"/logout\" class=\"who\"><input type=\"hidden\" name=\"_csrf\" value=\"{E(session.Csrf)}\">{E(session.Caller.User)} <button>Log out</button></form>");
        page.Append("</header><div id=\"flash\" role=\"status\"></div>");
        page.Append($"<main{(live ? " data-live" : "")}><h1>{E(title)}</h1>").Append(main).Append("</main>");
        page.Append("<script src=\"/assets/dashboard.js\" defer></script></body></html>");
        return page.ToString();
    }
}
