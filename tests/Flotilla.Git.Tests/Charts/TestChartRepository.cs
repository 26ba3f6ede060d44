using System.Diagnostics;
using Flotilla.Git.Tests.Render;
using Flotilla.Git.Tools;

namespace Flotilla.Git.Tests.Charts;

/// <summary>Builds a chart repository the way a publisher does, with the pinned helm: <c>helm package</c> and <c>helm repo index</c>.</summary>
internal static class TestChartRepository
{
    /// <summary>A small chart "web" at <paramref name="version"/> whose ConfigMap names its version (plus <paramref name="extra"/> documents).</summary>
    public static string WebChart(string version, string extra = "") => Path.Combine(TestCharts.Write(new Dictionary<string, string>
    {
        ["web/Chart.yaml"] = $"apiVersion: v2\nname: web\nversion: {version}\n",
        ["web/templates/cm.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: web}}\ndata: {{version: \"{version}\"}}\n---\n{extra}",
    }), "web");

    public static Task PackageAsync(string chart, string repository) => HelmAsync("package", chart, "--destination", repository);

    public static Task IndexAsync(string repository) => HelmAsync("repo", "index", repository);

    private static async Task HelmAsync(params string[] arguments)
    {
        var home = Directory.CreateTempSubdirectory("flotilla-helm-home-").FullName;
        var info = new ProcessStartInfo(PinnedTool.Helm.Locate()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var variable in new[] { "HOME", "HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME" }) info.Environment[variable] = home;
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Directory.Delete(home, recursive: true);
        if (process.ExitCode != 0) throw new InvalidOperationException($"helm {string.Join(' ', arguments)}: {await error}");
    }
}
