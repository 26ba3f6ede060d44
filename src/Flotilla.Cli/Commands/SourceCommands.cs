using System.CommandLine;
using System.Text;
using Flotilla.Git.Sources;
using k8s;
using k8s.Models;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla source create-key NAME</c>: a deploy key for a GitRepository.</summary>
public static class SourceCommands
{
    public static Command Create()
    {
        var source = new Command("source", "Git source credentials");
        var name = new Argument<string>("NAME") { Description = "Name of the Secret to create (referenced by GitRepository spec.secretRef)" };
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace on the hub", DefaultValueFactory = _ => "default" };
        var knownHosts = new Option<string?>("--known-hosts") { Description = "known_hosts file with the Git host's key (strict host key checking; required before the first fetch)" };
        var createKey = new Command("create-key", "Generate an ed25519 deploy key into a Secret and print the public key to add to the Git host (read-only access is enough)")
        {
            name, ns, knownHosts,
        };
        createKey.SetAction(async (r, ct) =>
        {
            var key = await DeployKeyGenerator.GenerateAsync($"flotilla-{r.GetValue(name)}", ct);
            var data = new Dictionary<string, byte[]> { ["identity"] = Encoding.UTF8.GetBytes(key.PrivateKeyOpenSsh), ["identity.pub"] = Encoding.UTF8.GetBytes(key.PublicKeyLine) };
            if (r.GetValue(knownHosts) is { } file) data["known_hosts"] = await File.ReadAllBytesAsync(file, ct);
            var secret = new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta { Name = r.GetValue(name), NamespaceProperty = r.GetValue(ns) },
                Data = data,
            };
            using var hub = HubConnection.Connect(r);
            await hub.CoreV1.PatchNamespacedSecretAsync(new V1Patch(KubernetesJson.Serialize(secret), V1Patch.PatchType.ApplyPatch),
                r.GetValue(name), r.GetValue(ns), fieldManager: "flotilla", force: true, cancellationToken: ct);
            Console.Error.WriteLine($"secret/{r.GetValue(name)} created in {r.GetValue(ns)}; add this deploy key to the repository:");
            Console.WriteLine(key.PublicKeyLine);
            if (r.GetValue(knownHosts) is null) Console.Error.WriteLine("note: add the host's key as known_hosts to the Secret (strict host key checking refuses unknown hosts)");
            return 0;
        });
        source.Add(createKey);
        return source;
    }
}
