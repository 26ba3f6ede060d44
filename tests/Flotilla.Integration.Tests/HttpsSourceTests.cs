using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using Flotilla.Git.Tests.Sources;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Integration.Tests;

/// <summary>
/// GitRepositories on the real hub fetching over TLS from a real nginx + <c>git http-backend</c> that wants a token and
/// serves a certificate from a throw-away CA: the Secret's <c>token</c>/<c>username</c>/<c>ca.crt</c> are what make it
/// work, and a refused token shows in status by its kind, never by its value.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class HttpsSourceTests(FleetFixture fleet)
{
    private const string Ns = "gitops-https";
    private const string Username = "flotilla";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private async Task SecretAsync(string name, Dictionary<string, string> data) =>
        await fleet.Hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
            Data = data.ToDictionary(e => e.Key, e => Encoding.UTF8.GetBytes(e.Value)),
        }, Ns);

    private Task SourceAsync(HubObjects hub, string name, string url) => hub.ApplyAsync(GitRepositoryResource.Plural, new JsonObject
    {
        ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "GitRepository",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject { ["url"] = url, ["interval"] = "1h", ["secretRef"] = new JsonObject { ["name"] = name } },
    });

    private async Task<(GitRepositoryResource Typed, string Json)> ReadAsync(string name)
    {
        var raw = await fleet.Hub.CustomObjects.GetNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, Ns, GitRepositoryResource.Plural, name);
        var typed = KubeJson.As<GitRepositoryResource>(raw);
        return (typed, KubernetesJson.Serialize(typed));
    }

    private async Task<StatusCondition?> ReadyAsync(string name) =>
        (await ReadAsync(name)).Typed.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    [Fact]
    public async Task Token_username_and_ca_crt_from_the_Secret_fetch_over_tls_and_no_token_reaches_status_or_the_hub_log()
    {
        var token = "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var wrong = "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var served = Path.Combine(fleet.Directory, "https-repos");
        var repo = new GitFixtureRepo(served, "fleet");
        var sha = repo.Commit(new Dictionary<string, string> { ["app/a.yaml"] = "kind: ConfigMap\n" });
        using var ca = LocalCertificateAuthority.Create("flotilla-it-git-ca");
        await using var server = await NginxGitServer.StartAsync(served, Username, token, ca);
        var url = server.UrlFor("fleet/.git");
        var sources = new[] { "good", "wrong-token", "no-ca" };
        try
        {
            await SecretAsync("good", new() { ["username"] = Username, ["token"] = token, ["ca.crt"] = ca.CertificatePem });
            await SecretAsync("wrong-token", new() { ["username"] = Username, ["token"] = wrong, ["ca.crt"] = ca.CertificatePem });
            await SecretAsync("no-ca", new() { ["username"] = Username, ["token"] = token });
            foreach (var name in sources) await SourceAsync(hub, name, url);

            await Eventually.WaitAsync(async () => (await ReadAsync("good")).Typed.Status?.Revision == sha, Deadline, "good source fetched",
                async () => (await ReadAsync("good")).Json);
            await Eventually.WaitAsync(async () => (await ReadyAsync("wrong-token"))?.Reason == "AuthFailed", Deadline, "wrong token AuthFailed",
                async () => (await ReadAsync("wrong-token")).Json);
            await Eventually.WaitAsync(async () => (await ReadyAsync("no-ca"))?.Reason == "Unreachable", Deadline, "no CA refused",
                async () => (await ReadAsync("no-ca")).Json);

            Assert.Equal("True", (await ReadyAsync("good"))!.Status);
            Assert.Contains("the remote refused the source's credentials", (await ReadyAsync("wrong-token"))!.Message);
            Assert.Null((await ReadAsync("wrong-token")).Typed.Status!.Revision);
            Assert.Contains("certificate", (await ReadyAsync("no-ca"))!.Message);
            Assert.Contains("password mismatch", server.Log);
            var hubLog = await File.ReadAllTextAsync(fleet.HubLog);
            foreach (var secret in new[] { token, wrong })
            {
                var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{secret}"));
                foreach (var name in sources)
                {
                    var json = (await ReadAsync(name)).Json;
                    Assert.DoesNotContain(secret, json);
                    Assert.DoesNotContain(basic, json);
                }

                Assert.DoesNotContain(secret, hubLog);
                Assert.DoesNotContain(basic, hubLog);
                Assert.DoesNotContain(secret, server.Log);
            }
        }
        finally
        {
            // The failing sources would otherwise retry against a server that is gone for the rest of the run.
            foreach (var name in sources)
            {
                try { await fleet.Hub.CustomObjects.DeleteNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, Ns, GitRepositoryResource.Plural, name); }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { }
            }
        }
    }
}
