using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.Kube.Registry;
using k8s;

namespace Flotilla.Kube.Tests.Registry;

public sealed class MemberClientFactoryTests
{
    private static string CaData()
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256);
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(ca.ExportCertificatePem()));
    }

    [Fact]
    public async Task A_proxy_url_is_really_used()
    {
        // A one-shot proxy on loopback: it records the request line and refuses the tunnel.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var requestLine = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            using var stream = socket.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var line = await reader.ReadLineAsync();
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
            await stream.WriteAsync("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            return line;
        });
        var kubeconfig = $"""
            apiVersion: v1
            kind: Config
            current-context: m
            clusters:
            - name: m
              cluster:
                server: https://member.invalid:6443
                certificate-authority-data: {CaData()}
                proxy-url: http://127.0.0.1:{port}
            contexts:
            - name: m
              context: {"{"}cluster: m, user: m{"}"}
            users:
            - name: m
              user: {"{"}token: tok{"}"}
            """;

        var (client, rebuildAfter) = await MemberClientFactory.CreateAsync(kubeconfig, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);
        using (client)
        {
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());
        }

        Assert.Null(rebuildAfter);
        Assert.Equal("CONNECT member.invalid:6443 HTTP/1.1", await requestLine.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
