using System.Globalization;
using Flotilla.Hub.Api;
using Flotilla.Hub.Api.Auth;
using Flotilla.Hub.Dashboard;
using Flotilla.Kube.LocalFleet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Flotilla.Bench.Matrix;

/// <summary>
/// The matrix page's first render in Debian's chromium (headless, 1400 × 900), from navigation start: first contentful
/// paint and the first frame painted after every row was parsed (the test's mark). Flotilla: the page built per request
/// as the hub's dashboard builds it (<see cref="DashboardPages"/> in <see cref="PageLayout"/>, served by Kestrel; the
/// access checks are left out, as the hub caches them for 10 s). Baseline: the same bytes built once and served as they
/// are, which is the browser's own share. Loads alternate between the two.
/// </summary>
public static class RenderBenchmark
{
    public const double TargetMs = 1000;
    private const string Executable = "/usr/bin/chromium";

    public static async Task RunAsync(FleetView view, int loads)
    {
        var pages = new DashboardPages(view, TimeProvider.System);
        var session = new Session("bench", new Caller("bench", null, []), "csrf", DateTimeOffset.MaxValue);
        string Page() { var (title, main) = pages.Matrix(session, new QueryCollection()); return PageLayout.Render(title, session, main); }
        var prebuilt = Page();

        var port = FreePorts.Take(1)[0];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.MapGet("/matrix", () => Results.Content(Page(), "text/html; charset=utf-8"));
        app.MapGet("/baseline/matrix", () => Results.Content(prebuilt, "text/html; charset=utf-8"));
        DashboardHost.MapAssets(app);
        await app.StartAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Executable, Headless = true, Args = ["--no-sandbox"] });
        var context = await browser.NewContextAsync(new() { BaseURL = $"http://127.0.0.1:{port}", ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync(RenderMark.Script);

        var ours = new List<Load>();
        var baseline = new List<Load>();
        for (var i = 0; i < 5; i++) { await LoadAsync(page, "/matrix"); await LoadAsync(page, "/baseline/matrix"); }
        for (var i = 0; i < loads; i++)
        {
            // Alternate which goes first, so neither always follows the other's garbage.
            if (i % 2 == 0) { ours.Add(await LoadAsync(page, "/matrix")); baseline.Add(await LoadAsync(page, "/baseline/matrix")); }
            else { baseline.Add(await LoadAsync(page, "/baseline/matrix")); ours.Add(await LoadAsync(page, "/matrix")); }
        }

        Console.WriteLine($"matrix page first render in chromium ({prebuilt.Length / 1024} KiB, {ours[0].Rows} rows x {view.Bundles.Count} bundles), {loads} loads each:");
        Print("flotilla (page built per request)", ours);
        Print("baseline (the same bytes, prebuilt)", baseline);
        var oursRows = Median(ours, l => l.RowsPainted);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio flotilla / baseline, median rows painted: {oursRows / Median(baseline, l => l.RowsPainted):F2}x; " +
            $"target median first render < {TargetMs:F0} ms: {(oursRows < TargetMs && Median(ours, l => l.Paint) < TargetMs ? "met" : "MISSED")}"));
    }

    private static async Task<Load> LoadAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForFunctionAsync(RenderMark.Done);
        var paint = await page.EvaluateAsync<double>(RenderMark.FirstContentfulPaint);
        var response = await page.EvaluateAsync<double>(RenderMark.ResponseEnd);
        var rows = await page.EvaluateAsync<int>(RenderMark.Rows);
        return new Load(response, paint, await page.EvaluateAsync<double>(RenderMark.At), rows);
    }

    private static void Print(string name, List<Load> loads) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name,-38} response end p50 {Median(loads, l => l.ResponseEnd),5:F0} ms   first contentful paint p50 {Median(loads, l => l.Paint),5:F0} " +
        $"p95 {P95(loads, l => l.Paint),5:F0} ms   rows painted p50 {Median(loads, l => l.RowsPainted),5:F0} p95 {P95(loads, l => l.RowsPainted),5:F0} ms"));

    private static double Median(List<Load> loads, Func<Load, double> of) => Sorted(loads, of)[loads.Count / 2];
    private static double P95(List<Load> loads, Func<Load, double> of) => Sorted(loads, of)[(int)Math.Ceiling(loads.Count * 0.95) - 1];
    private static double[] Sorted(List<Load> loads, Func<Load, double> of) => [.. loads.Select(of).Order()];

    private sealed record Load(double ResponseEnd, double Paint, double RowsPainted, int Rows);
}
