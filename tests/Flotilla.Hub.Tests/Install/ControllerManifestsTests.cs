using Flotilla.Hub.Install;
using Flotilla.Kube.Credentials;
using k8s;
using k8s.Models;

namespace Flotilla.Hub.Tests.Install;

public sealed class ControllerManifestsTests
{
    private static ControllerManifestOptions Options(params string[] secretNamespaces) =>
        new() { Image = "registry.example.com/flotilla:1.0.0", SecretNamespaces = secretNamespaces };

    private static IEnumerable<RbacTable.Grant> Grants(string scope, IEnumerable<V1PolicyRule> rules) =>
        from rule in rules
        from g in rule.ApiGroups
        from r in rule.Resources
        from v in rule.Verbs
        select new RbacTable.Grant(scope, g, r, v);

    private static List<RbacTable.Grant> Sorted(IEnumerable<RbacTable.Grant> grants) =>
        grants.OrderBy(g => g.Where, StringComparer.Ordinal).ThenBy(g => g.Group, StringComparer.Ordinal)
            .ThenBy(g => g.Resource, StringComparer.Ordinal).ThenBy(g => g.Verb, StringComparer.Ordinal).ToList();

    [Fact]
    public void The_rendered_cluster_role_and_roles_grant_exactly_the_readme_table()
    {
        var documented = RbacTable.Parse(File.ReadAllText(RbacTable.ReadmePath()));
        var objects = ControllerManifests.Render(Options("team-a"));
        var clusterRole = Assert.Single(objects.OfType<V1ClusterRole>());
        var roles = objects.OfType<V1Role>().ToList();
        var rendered = Grants("cluster-wide", clusterRole.Rules)
            .Concat(Grants("flotilla-system", roles.Single(r => r.Metadata.NamespaceProperty == "flotilla-system").Rules))
            .Concat(Grants("each --secret-namespace", roles.Single(r => r.Metadata.NamespaceProperty == "team-a").Rules));

        Assert.Equal(Sorted(documented.Where(g => g.Where == "cluster-wide")), Sorted(rendered.Where(g => g.Where == "cluster-wide")));
        Assert.Equal(Sorted(documented), Sorted(rendered));
        Assert.DoesNotContain(rendered, g => g.Group == "*" || g.Resource == "*" || g.Verb == "*");
        Assert.Null(clusterRole.Rules.FirstOrDefault(r => r.ResourceNames is not null || r.NonResourceURLs is not null));
    }

    [Fact]
    public void Every_binding_names_the_hub_service_account_and_a_role_that_is_rendered()
    {
        var objects = ControllerManifests.Render(Options("team-a", "team-b"));
        var roles = objects.OfType<V1Role>().Select(r => (r.Metadata.NamespaceProperty, r.Metadata.Name)).ToHashSet();
        var bindings = objects.OfType<V1RoleBinding>().ToList();
        Assert.Equal(3, bindings.Count); // flotilla-system, team-a, team-b
        foreach (var binding in bindings)
        {
            Assert.Contains((binding.Metadata.NamespaceProperty, binding.RoleRef.Name), roles);
            Assert.Equal("system:serviceaccount:flotilla-system:flotilla-hub", Subject(Assert.Single(binding.Subjects)));
        }
        var clusterBinding = Assert.Single(objects.OfType<V1ClusterRoleBinding>());
        Assert.Equal("flotilla-hub", clusterBinding.RoleRef.Name);
        Assert.Equal("system:serviceaccount:flotilla-system:flotilla-hub", Subject(Assert.Single(clusterBinding.Subjects)));
    }

    private static string Subject(Rbacv1Subject s) => $"system:serviceaccount:{s.NamespaceProperty}:{s.Name}";

    [Fact]
    public void The_deployment_runs_two_locked_down_replicas_with_probes_an_emptydir_data_directory_and_the_image()
    {
        var options = Options();
        options.CredentialAllowances = new HashSet<CredentialAllowance> { CredentialAllowance.Exec };
        var deployment = Assert.Single(ControllerManifests.Render(options).OfType<V1Deployment>());
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("registry.example.com/flotilla:1.0.0", container.Image);
        Assert.Equal("flotilla-hub", pod.ServiceAccountName);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.True(container.SecurityContext.RunAsNonRoot);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.NotNull(container.Resources.Requests["memory"]);
        Assert.NotNull(container.Resources.Limits["memory"]);
        var data = container.VolumeMounts.Single(m => m.MountPath == ControllerManifests.DataDirectory);
        Assert.NotNull(pod.Volumes.Single(v => v.Name == data.Name).EmptyDir);
        Assert.Equal(["hub", "run", "--listen", "0.0.0.0:9440", "--data-dir", ControllerManifests.DataDirectory, "--identity", "$(POD_NAME)", "--allow-exec"], container.Args);
        // The grace the pod gets covers the hub's wind-down on SIGTERM (7 s).
        Assert.True(pod.TerminationGracePeriodSeconds >= 8);
    }

    [Theory]
    [InlineData(ControllerManifestOptions.PolicyV1)]
    [InlineData(ControllerManifestOptions.PolicyV1Beta1)]
    public void The_pod_disruption_budget_uses_the_asked_api_version_and_keeps_one_hub(string apiVersion)
    {
        var options = Options();
        options.PodDisruptionBudgetApiVersion = apiVersion;
        var yaml = ControllerManifests.Yaml(options);
        var pdb = Assert.Single(ControllerManifests.Render(options).OfType<V1PodDisruptionBudget>());
        Assert.Equal(apiVersion, pdb.ApiVersion);
        Assert.Equal("1", pdb.Spec.MinAvailable.ToString());
        Assert.Contains($"apiVersion: {apiVersion}\nkind: PodDisruptionBudget", yaml);
    }

    [Fact]
    public void The_yaml_holds_the_namespace_the_crds_and_every_rendered_object()
    {
        var yaml = ControllerManifests.Yaml(Options());
        var kinds = yaml.Split("---\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split('\n').First(l => l.StartsWith("kind: ", StringComparison.Ordinal))["kind: ".Length..]).ToList();
        Assert.Equal(
            ["Namespace", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition", "ServiceAccount", "ClusterRole",
             "ClusterRoleBinding", "Role", "RoleBinding", "Service", "PodDisruptionBudget", "Deployment"],
            kinds);
    }

    [Theory]
    [InlineData("", "--image")]
    [InlineData("has space:1", "--image")]
    public void A_missing_or_bad_image_is_refused(string image, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => ControllerManifests.Render(new ControllerManifestOptions { Image = image }));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void A_bad_secret_namespace_or_pdb_version_is_refused()
    {
        Assert.Contains("Team_A", Assert.Throws<ArgumentException>(() => ControllerManifests.Render(Options("Team_A"))).Message);
        var options = Options();
        options.PodDisruptionBudgetApiVersion = "policy/v2";
        Assert.Throws<ArgumentException>(() => ControllerManifests.Render(options));
    }
}
