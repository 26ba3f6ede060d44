using System.Text.Json;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;
using k8s;
using k8s.Models;

namespace Flotilla.Integration.Tests;

[Collection(FleetCollection.Name)]
public sealed class ClusterRegistryTests(FleetFixture fleet)
{
    [Fact]
    public async Task Local_up_registers_the_members_and_list_shows_them_with_labels()
    {
        var list = await CliRunner.RunAsync(fleet.Env, "cluster", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+LABELS\s+STATUS\s+VERSION\s+NODES\s+LAST SEEN$", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("member-1 ") && l.Contains("env=dev,region=eu-west"));
        Assert.Contains(lines, l => l.StartsWith("member-3 ") && l.Contains("env=prod,region=ap-south"));

        var json = await CliRunner.RunAsync(fleet.Env, "cluster", "list", "-o", "json", "-l", "env=prod");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.Stdout);
        var names = doc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()).ToList();
        Assert.Equal(["member-3"], names);
    }

    [Fact]
    public async Task Join_stores_self_contained_credentials_then_label_taint_and_remove_leave_the_member_untouched()
    {
        var join = await CliRunner.RunAsync(fleet.Env, "cluster", "join", "extra", "--context", "member-1", "--label", "tier=gold", "--taint", "compliance=pci:NoSelect");
        Assert.True(join.ExitCode == 0, join.ToString());
        var secret = await fleet.Hub.CoreV1.ReadNamespacedSecretAsync("extra-kubeconfig", FlotillaApi.SystemNamespace);
        var stored = System.Text.Encoding.UTF8.GetString(secret.Data["value"]);
        Assert.Contains("certificate-authority-data", stored);
        Assert.DoesNotContain("member-2", stored); // minified: only the joined context
        Assert.True(StoredCredentials.Validate(stored).IsValid);

        var label = await CliRunner.RunAsync(fleet.Env, "cluster", "label", "extra", "tier-", "region=eu-west");
        Assert.True(label.ExitCode == 0, label.ToString());
        var taint = await CliRunner.RunAsync(fleet.Env, "cluster", "taint", "extra", "gpu=true:PreferNoSelect", "compliance-");
        Assert.True(taint.ExitCode == 0, taint.ToString());
        var cluster = await new ClusterRegistry(fleet.Hub).GetAsync("extra", CancellationToken.None);
        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu-west" }, cluster!.Metadata.Labels);
        Assert.Equal(["gpu=true:PreferNoSelect"], cluster.Spec.Taints!.Select(t => t.ToString()));

        using var member = fleet.Member("member-1");
        await member.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "keep-me" } });
        var remove = await CliRunner.RunAsync(fleet.Env, "cluster", "remove", "extra", "--orphan");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Null(await new ClusterRegistry(fleet.Hub).GetAsync("extra", CancellationToken.None));
        var secrets = await fleet.Hub.CoreV1.ListNamespacedSecretAsync(FlotillaApi.SystemNamespace, fieldSelector: "metadata.name=extra-kubeconfig");
        Assert.Empty(secrets.Items);
        Assert.Equal("keep-me", (await member.CoreV1.ReadNamespaceAsync("keep-me")).Metadata.Name);
    }

    [Fact]
    public async Task A_cluster_deleted_with_kubectl_takes_its_credentials_secret_with_it()
    {
        // Tainted so that no bundle of another test is placed there while it exists.
        var join = await CliRunner.RunAsync(fleet.Env, "cluster", "join", "extra-gc", "--context", "member-2", "--taint", "compliance=pci:NoSelect");
        Assert.True(join.ExitCode == 0, join.ToString());
        var cluster = await new ClusterRegistry(fleet.Hub).GetAsync("extra-gc", CancellationToken.None);
        var secret = await fleet.Hub.CoreV1.ReadNamespacedSecretAsync("extra-gc-kubeconfig", FlotillaApi.SystemNamespace);
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.Equal((FlotillaApi.ApiVersion, FlotillaApi.ClusterKind, "extra-gc", cluster!.Metadata.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
        // A join again (new credentials, same Cluster) keeps the Secret owned by it.
        var again = await CliRunner.RunAsync(fleet.Env, "cluster", "join", "extra-gc", "--context", "member-2", "--taint", "compliance=pci:NoSelect");
        Assert.True(again.ExitCode == 0, again.ToString());
        secret = await fleet.Hub.CoreV1.ReadNamespacedSecretAsync("extra-gc-kubeconfig", FlotillaApi.SystemNamespace);
        Assert.Equal(cluster.Metadata.Uid, Assert.Single(secret.Metadata.OwnerReferences).Uid);

        // What `kubectl delete cluster extra-gc` sends: the hub's garbage collector removes the Secret after the Cluster.
        await fleet.Hub.CustomObjects.DeleteClusterCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, FlotillaApi.ClusterPlural, "extra-gc");
        await Eventually.WaitAsync(async () => (await fleet.Hub.CoreV1.ListNamespacedSecretAsync(FlotillaApi.SystemNamespace,
            fieldSelector: "metadata.name=extra-gc-kubeconfig")).Items.Count == 0, TimeSpan.FromSeconds(60), "the credentials Secret collected with its Cluster");
    }

    [Fact]
    public async Task A_kubeconfig_with_an_exec_plugin_is_refused_without_running_it()
    {
        var marker = Path.Combine(fleet.Directory, "exec-plugin-ran");
        var plugin = Path.Combine(fleet.Directory, "plugin.sh");
        await File.WriteAllTextAsync(plugin, $"#!/bin/sh\ntouch {marker}\necho '{{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"x\"}}}}'\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var member = fleet.State.Members.First();
        var file = Path.Combine(fleet.Directory, "exec.kubeconfig");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: v1
            kind: Config
            current-context: exec
            clusters:
            - name: exec
              cluster:
                server: {member.Server}
                certificate-authority-data: {Convert.ToBase64String(await File.ReadAllBytesAsync(fleet.State.CaPath))}
            contexts:
            - name: exec
              context:
                cluster: exec
                user: exec
            users:
            - name: exec
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: {plugin}
            """);
        var join = await CliRunner.RunAsync(fleet.Env, "cluster", "join", "execy", "--kubeconfig", file, "--context", "exec");
        Assert.Equal(1, join.ExitCode);
        Assert.Contains("exec", join.Stderr);
        Assert.Contains("--allow-exec", join.Stderr);
        Assert.False(File.Exists(marker), "the exec plugin ran");
        Assert.Null(await new ClusterRegistry(fleet.Hub).GetAsync("execy", CancellationToken.None));
    }

    [Fact]
    public async Task Import_capi_registers_cluster_api_kubeconfig_secrets_and_refuses_bad_ones()
    {
        const string ns = "capi-test";
        await fleet.Hub.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = ns } });
        var member = fleet.State.Members.Last();
        var good = Kube.LocalFleet.LocalKubeconfig.Single("capi-one", member.Server, await File.ReadAllTextAsync(fleet.State.CaPath), member.AdminToken);
        var bad = good.Replace("    token:", "    tokenFile: /etc/passwd\n    token:");
        foreach (var (name, text) in new[] { ("capi-one", good), ("capi-bad", bad) })
        {
            await fleet.Hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret
            {
                Metadata = new() { Name = $"{name}-kubeconfig", Labels = new Dictionary<string, string> { [FlotillaApi.CapiClusterNameLabel] = name } },
                Data = new Dictionary<string, byte[]> { ["value"] = System.Text.Encoding.UTF8.GetBytes(text) },
            }, ns);
        }
        try
        {
            var import = await CliRunner.RunAsync(fleet.Env, "cluster", "import-capi", "--namespace", ns);
            Assert.Equal(1, import.ExitCode);
            Assert.Contains("cluster.flotilla.io/capi-one imported", import.Stdout);
            Assert.Contains("capi-bad-kubeconfig", import.Stderr);
            var registry = new ClusterRegistry(fleet.Hub);
            var one = await registry.GetAsync("capi-one", CancellationToken.None);
            Assert.Equal(ns, one!.Spec.CredentialsSecretRef!.Namespace);
            Assert.Null(await registry.GetAsync("capi-bad", CancellationToken.None));
            await Eventually.WaitAsync(async () => (await registry.GetAsync("capi-one", CancellationToken.None))!.Status?.Conditions?.Any(c => c.Type == "Available" && c.Status == "True") == true,
                TimeSpan.FromSeconds(30), "capi-one Available");
        }
        finally
        {
            await new ClusterRegistry(fleet.Hub).RemoveAsync("capi-one", CancellationToken.None);
            await fleet.Hub.CoreV1.DeleteNamespaceAsync(ns);
        }
    }
}
