using Microsoft.Playwright;

namespace Flotilla.Integration.Tests;

/// <summary>
/// Debian's chromium (<see cref="Executable"/>, headless) driven by Playwright for .NET, and where screenshots go:
/// <c>$FLOTILLA_ARTIFACTS/dashboard</c>, else <c>/tmp/flotilla-artifacts/dashboard</c>.
/// </summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser) => (_playwright, Browser) = (playwright, browser);

    public IBrowser Browser { get; }

    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(
        Environment.GetEnvironmentVariable("FLOTILLA_ARTIFACTS") ?? Path.Combine(Path.GetTempPath(), "flotilla-artifacts"), "dashboard")).FullName;

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        if (!File.Exists(Executable)) throw new FileNotFoundException($"{Executable} is missing: run scripts/install-deps.sh");
        var playwright = await Playwright.CreateAsync();
        // --no-sandbox: the tests run as root, where chromium's sandbox refuses to start.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Executable, Headless = true, Args = ["--no-sandbox"] });
        return new DashboardBrowser(playwright, browser);
    }

    /// <summary>A fresh browser context (its own cookies) logged in to the dashboard at <paramref name="baseUrl"/> with <paramref name="token"/>.</summary>
    public async Task<IPage> LoginAsync(string baseUrl, string token)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=token]", token);
        await page.ClickAsync("form.login button");
        await page.WaitForURLAsync(baseUrl.TrimEnd('/') + "/");
        return page;
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
