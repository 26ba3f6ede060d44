using System.Net;
using System.Text.RegularExpressions;

namespace Flotilla.Integration.Tests;

/// <summary>An HTTP client of the hub's dashboard and API: anonymous, with a bearer token, or logged in (cookie + CSRF token).</summary>
public sealed partial class DashboardClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly CookieContainer _cookies = new();

    public DashboardClient(int port, string? bearer = null)
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        if (bearer is not null) _http.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
    }

    public Uri BaseAddress { get; }

    /// <summary>The session's CSRF token, read from a page after <see cref="LoginAsync"/>.</summary>
    public string? Csrf { get; private set; }

    public Cookie? SessionCookie => _cookies.GetCookies(BaseAddress)["flotilla_session"];

    public async Task<HttpResponseMessage> LoginAsync(string token, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["next"] = "/" }),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        var response = await _http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var page = await _http.GetStringAsync("/");
            Csrf = CsrfMeta().Match(page).Groups[1].Value;
        }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    /// <summary>Waits until the hub process answers (the fixture starts it without waiting).</summary>
    public static Task WaitForHubAsync(int port) => Eventually.WaitAsync(async () =>
    {
        using var client = new DashboardClient(port);
        try { return (await client.GetAsync("/healthz")).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }, TimeSpan.FromSeconds(60), "hub answers /healthz");

    public Task<HttpResponseMessage> PostAsync(string path, string? csrf = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\">")]
    private static partial Regex CsrfMeta();
}
