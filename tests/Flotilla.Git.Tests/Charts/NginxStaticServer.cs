using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Flotilla.Git.Tests.Sources;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Git.Tests.Charts;

/// <summary>
/// A real nginx (Debian's nginx-light, scripts/install-deps.sh) serving a directory as static files over TLS on
/// 127.0.0.1 at a free port, with a certificate from a throw-away CA and either HTTP Basic auth for one user or one
/// bearer token (anything but <c>Authorization: Bearer TOKEN</c> is answered 401), in its own temporary prefix; stops
/// with the test.
/// </summary>
internal sealed class NginxStaticServer : IAsyncDisposable
{
    private const string Nginx = "/usr/sbin/nginx";

    private readonly DirectoryInfo _directory;
    private readonly StringBuilder _log = new();
    private Process? _process;
    private Task? _draining;

    private NginxStaticServer(DirectoryInfo directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"https://127.0.0.1:{Port}/charts/");

    /// <summary>Serves <paramref name="root"/> to <paramref name="username"/> with <paramref name="password"/> (HTTP Basic).</summary>
    public static Task<NginxStaticServer> StartAsync(string root, string username, string password, LocalCertificateAuthority ca) =>
        StartAsync(root, ca, async server =>
        {
            var salt = RandomNumberGenerator.GetBytes(8);
            var digest = SHA1.HashData([.. Encoding.UTF8.GetBytes(password), .. salt]);
            await File.WriteAllTextAsync(server.PathOf("htpasswd"), $"{username}:{{SSHA}}{Convert.ToBase64String([.. digest, .. salt])}\n");
            return $"auth_basic \"charts\"; auth_basic_user_file {server.PathOf("htpasswd")};";
        });

    /// <summary>Serves <paramref name="root"/> only to requests with <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public static Task<NginxStaticServer> StartWithBearerAsync(string root, string token, LocalCertificateAuthority ca)
    {
        // The token goes into nginx.conf inside double quotes: keep it to characters that need no escaping there.
        if (token.Length == 0 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ArgumentException("a test bearer token is letters, digits, '-', '_' or '.'", nameof(token));
        return StartAsync(root, ca, _ => Task.FromResult($"if ($http_authorization != \"Bearer {token}\") {{ return 401; }}"));
    }

    private static async Task<NginxStaticServer> StartAsync(string root, LocalCertificateAuthority ca, Func<NginxStaticServer, Task<string>> authorization)
    {
        if (!File.Exists(Nginx)) throw new InvalidOperationException($"{Nginx} is missing: install nginx-light (scripts/install-deps.sh)");
        var server = new NginxStaticServer(Directory.CreateTempSubdirectory("flotilla-nginx-charts-"), LoopbackPorts.Unused());
        try
        {
            await server.ConfigureAsync(root, ca, await authorization(server));
            var info = new ProcessStartInfo(Nginx) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { "-p", server._directory.FullName + "/", "-c", server.PathOf("nginx.conf"), "-e", "stderr" }) info.ArgumentList.Add(argument);
            server._process = Process.Start(info)!;
            server._draining = Task.WhenAll(server.DrainAsync(server._process.StandardError), server.DrainAsync(server._process.StandardOutput));
            var clock = Stopwatch.StartNew();
            while (!await server.AcceptsConnectionsAsync())
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(15) || server._process.HasExited) throw new InvalidOperationException($"nginx did not start: {server._log}");
                await Task.Delay(50);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private async Task ConfigureAsync(string root, LocalCertificateAuthority ca, string authorization)
    {
        ca.IssueServingCertificate("127.0.0.1", PathOf("server.crt"), PathOf("server.key"));
        Directory.CreateDirectory(PathOf("tmp"));
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
                proxy_temp_path {{PathOf("tmp")}}/proxy;
                fastcgi_temp_path {{PathOf("tmp")}}/fastcgi;
                uwsgi_temp_path {{PathOf("tmp")}}/uwsgi;
                scgi_temp_path {{PathOf("tmp")}}/scgi;
                server {
                    listen 127.0.0.1:{{Port}} ssl;
                    ssl_certificate {{PathOf("server.crt")}};
                    ssl_certificate_key {{PathOf("server.key")}};
                    location /charts/ {
                        {{authorization}}
                        alias {{root}}/;
                    }
                }
            }

            """);
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

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            if (_draining is not null) await _draining;
            process.Dispose();
        }

        if (_directory.Exists) _directory.Delete(recursive: true);
    }
}
