using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Git.Tests.Sources;

/// <summary>
/// A real nginx serving <c>git http-backend</c> (through fcgiwrap, which this class starts on a unix socket) over
/// TLS on 127.0.0.1 at a free port, with a certificate from a throw-away CA and HTTP Basic auth for one user and
/// token. Everything lives in its own temporary prefix (config, certificate, htpasswd, pid, temp files), runs in
/// the foreground and stops with the test. Needs the nginx-light and fcgiwrap packages (scripts/install-deps.sh);
/// without them the start fails and says why. Repositories below <c>projectRoot</c> are
/// <c>https://127.0.0.1:PORT/NAME</c>.
/// </summary>
internal sealed class NginxGitServer : IAsyncDisposable
{
    private const string Nginx = "/usr/sbin/nginx";
    private const string FcgiWrap = "/usr/sbin/fcgiwrap";
    private const string HttpBackend = "/usr/lib/git-core/git-http-backend";

    private readonly DirectoryInfo _directory;
    private readonly List<(Process Process, Task Draining)> _processes = [];
    private readonly StringBuilder _log = new();

    private NginxGitServer(DirectoryInfo directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string UrlFor(string repositoryName) => $"https://127.0.0.1:{Port}/{repositoryName}";

    /// <summary>What nginx and fcgiwrap wrote to stderr so far (nginx's error log: failed logins, backend errors).</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static async Task<NginxGitServer> StartAsync(string projectRoot, string username, string token, LocalCertificateAuthority ca)
    {
        foreach (var program in new[] { Nginx, FcgiWrap, HttpBackend })
        {
            if (!File.Exists(program)) throw new InvalidOperationException($"{program} is missing: install nginx-light, fcgiwrap and git (scripts/install-deps.sh)");
        }

        var directory = Directory.CreateTempSubdirectory("flotilla-nginx-");
        var server = new NginxGitServer(directory, LoopbackPorts.Unused());
        try
        {
            await server.ConfigureAsync(projectRoot, username, token, ca);
            var socket = server.PathOf("fcgi.sock");
            server.Start(FcgiWrap, "-f", "-s", "unix:" + socket);
            await server.WaitUntilAsync(() => Task.FromResult(File.Exists(socket)), "fcgiwrap did not create its socket");
            server.Start(Nginx, "-p", directory.FullName + "/", "-c", server.PathOf("nginx.conf"), "-e", "stderr");
            await server.WaitUntilAsync(server.AcceptsConnectionsAsync, $"nginx did not start listening on 127.0.0.1:{server.Port}");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private async Task ConfigureAsync(string projectRoot, string username, string token, LocalCertificateAuthority ca)
    {
        ca.IssueServingCertificate("127.0.0.1", PathOf("server.crt"), PathOf("server.key"));
        await File.WriteAllTextAsync(PathOf("htpasswd"), $"{username}:{SaltedSha1(token)}\n");
        Directory.CreateDirectory(PathOf("tmp"));

        // Run as root (the CI case), nginx would hand requests to workers as 'nobody', who cannot read this
        // private 0700 prefix; keep them on the test's own user. Nothing here needs a privileged port.
        var user = Environment.UserName == "root" ? "user root;" : "";
        await File.WriteAllTextAsync(PathOf("nginx.conf"), $$"""
            {{user}}
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{PathOf("nginx.pid")}};
            error_log stderr info;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{PathOf("tmp")}}/body;
                fastcgi_temp_path {{PathOf("tmp")}}/fastcgi;
                proxy_temp_path {{PathOf("tmp")}}/proxy;
                uwsgi_temp_path {{PathOf("tmp")}}/uwsgi;
                scgi_temp_path {{PathOf("tmp")}}/scgi;
                server {
                    listen 127.0.0.1:{{Port}} ssl;
                    ssl_certificate {{PathOf("server.crt")}};
                    ssl_certificate_key {{PathOf("server.key")}};
                    location / {
                        auth_basic "git";
                        auth_basic_user_file {{PathOf("htpasswd")}};
                        fastcgi_pass unix:{{PathOf("fcgi.sock")}};
                        fastcgi_param SCRIPT_FILENAME {{HttpBackend}};
                        fastcgi_param GIT_PROJECT_ROOT {{projectRoot}};
                        fastcgi_param GIT_HTTP_EXPORT_ALL "";
                        fastcgi_param PATH_INFO $uri;
                        fastcgi_param QUERY_STRING $args;
                        fastcgi_param REQUEST_METHOD $request_method;
                        fastcgi_param CONTENT_TYPE $content_type;
                        fastcgi_param CONTENT_LENGTH $content_length;
                        fastcgi_param REMOTE_USER $remote_user;
                        fastcgi_param REMOTE_ADDR $remote_addr;
                        fastcgi_param SERVER_PROTOCOL $server_protocol;
                        fastcgi_param HTTP_GIT_PROTOCOL $http_git_protocol;
                    }
                }
            }

            """);
    }

    // nginx's {SSHA} scheme: base64(SHA1(password + salt) + salt); the file never holds the token itself.
    private static string SaltedSha1(string token)
    {
        var salt = RandomNumberGenerator.GetBytes(8);
        var digest = SHA1.HashData([.. Encoding.UTF8.GetBytes(token), .. salt]);
        return "{SSHA}" + Convert.ToBase64String([.. digest, .. salt]);
    }

    private void Start(string executable, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = Process.Start(info)!;
        _processes.Add((process, Task.WhenAll(DrainAsync(process.StandardError), DrainAsync(process.StandardOutput))));
    }

    private async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log) _log.AppendLine(line);
        }
    }

    private async Task<bool> AcceptsConnectionsAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Polls until <paramref name="ready"/> (15 s at most), failing at once when a process it started has exited.</summary>
    private async Task WaitUntilAsync(Func<Task<bool>> ready, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await ready())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(15) || _processes.Any(p => p.Process.HasExited))
            {
                throw new InvalidOperationException($"{failure}: {Log}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // nginx first: it holds connections to fcgiwrap.
        foreach (var (process, draining) in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await draining;
            process.Dispose();
        }

        if (_directory.Exists) _directory.Delete(recursive: true);
    }
}
