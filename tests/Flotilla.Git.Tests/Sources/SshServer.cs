using System.Diagnostics;
using System.Text;

namespace Flotilla.Git.Tests.Sources;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 at a free port, with its own host key and one authorized key, run in
/// the foreground (<c>sshd -D -e</c>) so it stops with the test. Needs root (sshd's privilege separation)
/// and the openssh-server package (scripts/install-deps.sh); without them the start fails and says why.
/// Git repositories on this machine are reachable as <c>ssh://root@127.0.0.1:PORT/absolute/path</c>; like
/// GitHub's, the server accepts <c>GIT_PROTOCOL</c>, so git speaks protocol v2 over it.
/// </summary>
internal sealed class SshServer : IAsyncDisposable
{
    private const string Sshd = "/usr/sbin/sshd";

    private readonly DirectoryInfo _directory;
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Task _draining;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SshServer(DirectoryInfo directory, Process process, int port, string hostPublicKey)
    {
        _directory = directory;
        _process = process;
        Port = port;
        HostPublicKey = hostPublicKey;
        _draining = DrainAsync();
    }

    public int Port { get; }

    /// <summary>The host key as "ssh-ed25519 AAAA…" (no comment).</summary>
    public string HostPublicKey { get; }

    /// <summary>The known_hosts line that matches this server.</summary>
    public string KnownHostsLine => $"[127.0.0.1]:{Port} {HostPublicKey}";

    public string UrlFor(string absolutePath) => $"ssh://root@127.0.0.1:{Port}{absolutePath}";

    public static async Task<SshServer> StartAsync(string authorizedPublicKey)
    {
        if (!File.Exists(Sshd)) throw new InvalidOperationException($"{Sshd} is missing: install openssh-server (scripts/install-deps.sh)");
        if (Environment.UserName != "root") throw new InvalidOperationException($"sshd needs root for privilege separation; tests run as {Environment.UserName}");

        // sshd's privilege-separation directory; the Debian service creates it at boot, which never ran here.
        Directory.CreateDirectory("/run/sshd");
        var directory = Directory.CreateTempSubdirectory("flotilla-sshd-");
        try
        {
            var hostKey = Path.Combine(directory.FullName, "host_ed25519");
            await TestProcess.RunAsync(directory.FullName, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-host", "-f", hostKey);
            var hostPublicKey = string.Join(' ', (await File.ReadAllTextAsync(hostKey + ".pub")).Split(' ').Take(2));
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "authorized_keys"), authorizedPublicKey + "\n");

            var port = LoopbackPorts.Unused();
            var config = Path.Combine(directory.FullName, "sshd_config");
            // git-upload-pack runs through root's login shell, and bash run by sshd at shell level 1 sources ~/.bashrc,
            // which is the machine's, not the test's (one machine's hung for good in `pyenv init`, so every fetch timed
            // out). At SHLVL=1 the shell starts at level 2 and skips it.
            await File.WriteAllTextAsync(config, $"""
                Port {port}
                ListenAddress 127.0.0.1
                HostKey {hostKey}
                AuthorizedKeysFile {Path.Combine(directory.FullName, "authorized_keys")}
                PidFile {Path.Combine(directory.FullName, "sshd.pid")}
                StrictModes no
                UsePAM no
                PermitRootLogin prohibit-password
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                AcceptEnv GIT_PROTOCOL
                SetEnv SHLVL=1

                """);

            var info = new ProcessStartInfo(Sshd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { "-D", "-e", "-f", config }) info.ArgumentList.Add(argument);
            var server = new SshServer(directory, Process.Start(info)!, port, hostPublicKey);
            await server.WaitUntilListeningAsync();
            return server;
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var ready = await Task.WhenAny(_listening.Task, _process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(15)));
        if (ready == _listening.Task) return;
        await DisposeAsync();
        throw new InvalidOperationException($"sshd did not start listening on 127.0.0.1:{Port}: {_log}");
    }

    private async Task DrainAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_log) _log.AppendLine(line);
            if (line.StartsWith("Server listening on 127.0.0.1 port", StringComparison.Ordinal)) _listening.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await _draining;
        _process.Dispose();
        if (_directory.Exists) _directory.Delete(recursive: true);
    }
}
