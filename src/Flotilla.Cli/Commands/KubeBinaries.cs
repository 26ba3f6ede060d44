using System.Diagnostics;

namespace Flotilla.Cli.Commands;

/// <summary>Finds the Kubernetes binaries of the local fleet, building them with the repository's script when missing.</summary>
public static class KubeBinaries
{
    public const string Version = "v1.20.2";

    /// <summary><c>$FLOTILLA_KUBE_BIN</c>, default <c>~/.cache/flotilla/kubernetes/v1.20.2/bin</c>.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("FLOTILLA_KUBE_BIN") is { Length: > 0 } dir ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "flotilla", "kubernetes", Version, "bin");

    private static readonly string[] Needed = ["etcd", "kube-apiserver", "kube-controller-manager"];

    /// <summary>Returns the bin directory, running <c>scripts/install-kube-binaries.sh</c> first if something is missing.</summary>
    public static async Task<string> EnsureAsync(CancellationToken ct)
    {
        if (Needed.All(b => File.Exists(Path.Combine(Directory, b)))) return Directory;
        var script = FindScript() ?? throw new FileNotFoundException(
            $"Kubernetes binaries missing in {Directory}: run scripts/install-kube-binaries.sh from the Flotilla repository");
        Console.Error.WriteLine($"building the Kubernetes {Version} binaries with {script} (once; about 10 minutes on 2 cores)");
        using var process = Process.Start(new ProcessStartInfo(script) { UseShellExecute = false })!;
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}");
        return Directory;
    }

    private static string? FindScript()
    {
        var roots = new[] { Environment.GetEnvironmentVariable("FLOTILLA_REPO"), AppContext.BaseDirectory, Environment.CurrentDirectory };
        foreach (var root in roots.OfType<string>())
        {
            for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "scripts", "install-kube-binaries.sh");
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
