using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Bench.Sync;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;

namespace Flotilla.Integration.Tests;

/// <summary>
/// <c>POST /hooks/git/{namespace}/{name}</c> on the real hub process: a signed push makes the hub fetch at once (the
/// sources poll only hourly here), a bad signature fetches nothing, and a body over 1 MiB is refused with 413 without
/// the hub reading the rest of it.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class GitWebhookTests(FleetFixture fleet)
{
    private const string Ns = "gitops-webhook";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private string HookUrl(string name) => $"http://127.0.0.1:{fleet.HubPort}/hooks/git/{Ns}/{name}";

    private static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>A repository with one commit, its GitRepository (polled hourly) with a webhook secret, fetched once.</summary>
    private async Task<(GitFixtureRepo Repo, string Secret)> SourceAsync(string name)
    {
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        await fleet.Hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name + "-hook", NamespaceProperty = Ns },
            Data = new Dictionary<string, byte[]> { ["webhookSecret"] = Encoding.UTF8.GetBytes(secret) },
        }, Ns);
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{Ns}-{name}");
        var first = repo.Commit(new Dictionary<string, string> { ["app/a.yaml"] = "kind: ConfigMap\n" });
        await hub.ApplyAsync(GitRepositoryResource.Plural, new JsonObject
        {
            ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "GitRepository",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["url"] = repo.Url, ["interval"] = "1h",
                ["ref"] = new JsonObject { ["branch"] = "main" },
                ["secretRef"] = new JsonObject { ["name"] = name + "-hook" },
            },
        });
        await Eventually.WaitAsync(async () => (await StatusAsync(name))?.Revision == first, Deadline, $"{name}: first fetch");
        return (repo, secret);
    }

    // The test's own GETs of a GitRepository, told apart from the hub's in the hub API server's counts.
    private int _statusReads;

    private async Task<GitRepositoryStatus?> StatusAsync(string name)
    {
        Interlocked.Increment(ref _statusReads);
        return KubeJson.As<GitRepositoryResource>(await fleet.Hub.CustomObjects.GetNamespacedCustomObjectAsync(
            FlotillaApi.Group, FlotillaApi.Version, Ns, GitRepositoryResource.Plural, name)).Status;
    }

    /// <summary>
    /// Reads of one GitRepository and GETs of Secrets (in JSON: the hub cluster's own controllers read Secrets as
    /// protobuf) the hub API server has counted. Kubernetes 1.20 counts a GET of one custom object as a LIST in its
    /// namespace; the hub's watches list across namespaces.
    /// </summary>
    private async Task<(double Repositories, double Secrets)> HubReadsAsync(MemberMetrics hubApiServer)
    {
        var page = await hubApiServer.PageAsync(fleet.State.Hub.Name);
        const string Requests = "apiserver_request_total", Get = "verb=\"GET\"", Json = "contentType=\"application/json\"";
        const string Repositories = "resource=\"gitrepositories\"", InNamespace = "scope=\"namespace\"", NoSubresource = "subresource=\"\"";
        return (MetricsPage.Sum(page, Requests, Repositories, InNamespace, NoSubresource, Get) + MetricsPage.Sum(page, Requests, Repositories, InNamespace, NoSubresource, "verb=\"LIST\""),
            MetricsPage.Sum(page, Requests, "resource=\"secrets\"", Get, Json));
    }

    private async Task<HttpStatusCode> PostAsync(string name, byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, HookUrl(name)) { Content = new ByteArrayContent(body) };
        if (signature is not null) request.Headers.Add("X-Hub-Signature-256", signature);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_signed_push_fetches_at_once_and_a_badly_signed_one_fetches_nothing()
    {
        var (repo, secret) = await SourceAsync("pushed");
        var (control, controlSecret) = await SourceAsync("control");
        var before = await StatusAsync("pushed");
        var next = repo.Commit(new Dictionary<string, string> { ["app/a.yaml"] = "kind: ConfigMap # 2\n" });
        var controlNext = control.Commit(new Dictionary<string, string> { ["app/a.yaml"] = "kind: Secret\n" });
        var body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main"}""");

        var refused = new[]
        {
            await PostAsync("pushed", body, signature: null),
            await PostAsync("pushed", body, Signature("not-the-secret", body)),
            await PostAsync("pushed", body, Signature(secret, Encoding.UTF8.GetBytes("""{"ref":"refs/heads/other"}"""))),
            await PostAsync("pushed", body, "sha1=" + Convert.ToHexStringLower(SHA1.HashData(body))),
        };
        // The control's own signed push is the clock: a fetch the refused requests had queued would have been queued
        // first and done by the time the control's is.
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync("control", body, Signature(controlSecret, body)));
        await Eventually.WaitAsync(async () => (await StatusAsync("control"))?.Revision == controlNext, Deadline, "control fetched after its push");
        var afterRefused = await StatusAsync("pushed");

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync("pushed", body, Signature(secret, body)));
        await Eventually.WaitAsync(async () => (await StatusAsync("pushed"))?.Revision == next, Deadline, "fetched after the signed push",
            async () => KubernetesJson.Serialize(await StatusAsync("pushed")));
        Console.WriteLine($"signed push → new revision in status in {clock.Elapsed.TotalMilliseconds:0} ms");

        Assert.All(refused, code => Assert.Equal(HttpStatusCode.Unauthorized, code));
        Assert.Equal(before!.Revision, afterRefused!.Revision);
        Assert.Equal(before.LastAttemptAt, afterRefused.LastAttemptAt);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("no-such-repository", body, Signature(secret, body)));
    }

    [Fact]
    public async Task Pushes_read_neither_the_repository_nor_its_secret_from_the_hub_api_server_until_the_key_is_rotated()
    {
        var (repo, secret) = await SourceAsync("quiet");
        var body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main"}""");
        // One push first: the watch of the namespace's Secrets starts with the first fetch and may still be listing.
        var warm = repo.Commit(new Dictionary<string, string> { ["app/a.yaml"] = "kind: ConfigMap # warm\n" });
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync("quiet", body, Signature(secret, body)));
        await Eventually.WaitAsync(async () => (await StatusAsync("quiet"))?.Revision == warm, Deadline, "the first push fetched");
        using var hubApiServer = new MemberMetrics(fleet.State, withHub: true);
        var before = await HubReadsAsync(hubApiServer);
        var ownBefore = _statusReads;
        // Each push is checked against the Secret's webhook key, and each fetch it starts reads the Secret's credentials.
        for (var i = 0; i < 3; i++)
        {
            var next = repo.Commit(new Dictionary<string, string> { ["app/a.yaml"] = $"kind: ConfigMap # push {i}\n" });
            Assert.Equal(HttpStatusCode.Accepted, await PostAsync("quiet", body, Signature(secret, body)));
            await Eventually.WaitAsync(async () => (await StatusAsync("quiet"))?.Revision == next, Deadline, $"push {i} fetched");
        }
        var after = await HubReadsAsync(hubApiServer);
        var hubRepositoryReads = after.Repositories - before.Repositories - (_statusReads - ownBefore);
        Console.WriteLine($"3 pushes, 3 fetches: the hub read {hubRepositoryReads} GitRepositories and {after.Secrets - before.Secrets} Secrets");
        Assert.Equal(0, hubRepositoryReads);
        Assert.Equal(0, after.Secrets - before.Secrets);

        // A rotated key is seen through the Secret's watch: the old key is refused from then on, the new one accepted.
        var rotated = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        await fleet.Hub.CoreV1.PatchNamespacedSecretAsync(new V1Patch(new JsonObject
        {
            ["data"] = new JsonObject { ["webhookSecret"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(rotated)) },
        }.ToJsonString(), V1Patch.PatchType.MergePatch), "quiet-hook", Ns);
        await Eventually.WaitAsync(async () => await PostAsync("quiet", body, Signature(secret, body)) == HttpStatusCode.Unauthorized, Deadline, "the old key refused");
        var last = repo.Commit(new Dictionary<string, string> { ["app/a.yaml"] = "kind: ConfigMap # rotated\n" });
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync("quiet", body, Signature(rotated, body)));
        await Eventually.WaitAsync(async () => (await StatusAsync("quiet"))?.Revision == last, Deadline, "fetched after a push with the new key");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_1_MiB_is_refused_with_413_without_the_hub_reading_the_rest(bool chunked)
    {
        var (_, secret) = await SourceAsync(chunked ? "big-chunked" : "big-length");
        const long offered = 256L << 20;

        var (status, sent) = await PostOversizedAsync(chunked ? "big-chunked" : "big-length", offered, chunked);

        Console.WriteLine($"{(chunked ? "chunked" : "Content-Length")}: 413 after the client had sent {sent / 1024.0 / 1024:0.0} MiB of {offered >> 20} MiB");
        Assert.StartsWith("HTTP/1.1 413", status);
        // What the client got through is the 1 MiB cap plus what the kernel's socket buffers held, far from all of it.
        Assert.True(sent < 16L << 20, $"the client could send {sent} bytes: the hub kept reading");
        Assert.Equal("ok", await _http.GetStringAsync($"http://127.0.0.1:{fleet.HubPort}/healthz"));
        Assert.False(fleet.HubProcess.HasExited);
        // The endpoint still works after it.
        var body = Encoding.UTF8.GetBytes("{}");
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(chunked ? "big-chunked" : "big-length", body, Signature(secret, body)));
    }

    /// <summary>
    /// Streams a body of <paramref name="offered"/> bytes over a raw socket while reading the answer; returns the status
    /// line and how many body bytes were written before the hub closed the connection or stopped reading.
    /// </summary>
    private async Task<(string StatusLine, long Sent)> PostOversizedAsync(string name, long offered, bool chunked)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, fleet.HubPort);
        var stream = client.GetStream();
        var framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {offered}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /hooks/git/{Ns}/{name} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{framing}\r\nX-Hub-Signature-256: sha256=00\r\n\r\n"));
        var answer = ReadStatusLineAsync(stream);
        using var stop = new CancellationTokenSource();
        var chunk = new byte[64 * 1024];
        var chunkHeader = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
        long sent = 0;
        try
        {
            while (sent < offered)
            {
                // Once answered, give the hub 10 s to close; a write that blocks past that means it stopped reading.
                if (answer.IsCompleted && !stop.IsCancellationRequested) stop.CancelAfter(TimeSpan.FromSeconds(10));
                if (chunked) await stream.WriteAsync(chunkHeader, stop.Token);
                await stream.WriteAsync(chunk, stop.Token);
                if (chunked) await stream.WriteAsync("\r\n"u8.ToArray(), stop.Token);
                sent += chunk.Length;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Connection reset or closed by the hub, or the hub stopped reading: either way it did not take the rest.
        }

        return (await answer.WaitAsync(TimeSpan.FromSeconds(30)), sent);
    }

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != '\n') line.Append((char)one[0]);
        return line.ToString().TrimEnd('\r');
    }
}
