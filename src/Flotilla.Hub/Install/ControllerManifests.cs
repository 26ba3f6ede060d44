using Flotilla.Kube.Api;
using Flotilla.Kube.Credentials;
using k8s;
using k8s.Models;

namespace Flotilla.Hub.Install;

/// <summary>
/// The objects that run the hub inside its cluster, in apply order: ServiceAccount, RBAC, Service,
/// PodDisruptionBudget, Deployment. The Namespace and the CRDs come from <see cref="CrdInstaller"/>.
/// </summary>
public static class ControllerManifests
{
    public const string Name = "flotilla-hub";
    public const int Port = 9440;

    /// <summary>Where the pod's emptyDir holds Git caches and snapshots (the root filesystem is read-only).</summary>
    public const string DataDirectory = "/var/lib/flotilla";

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["app.kubernetes.io/name"] = "flotilla",
        ["app.kubernetes.io/component"] = "hub",
    };

    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Render(ControllerManifestOptions options)
    {
        options.Validate();
        var ns = FlotillaApi.SystemNamespace;
        var account = new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = ns };
        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Meta(Name, ns) },
            new V1ClusterRole { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRole", Metadata = Meta(Name, null), Rules = [.. HubRbac.ClusterRules] },
            new V1ClusterRoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRoleBinding", Metadata = Meta(Name, null),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name }, Subjects = [account],
            },
        };
        objects.AddRange(RoleAndBinding(Name, ns, HubRbac.SystemRules, account));
        foreach (var other in options.SecretNamespaces.Where(n => n != ns).Distinct().Order(StringComparer.Ordinal))
            objects.AddRange(RoleAndBinding($"{Name}-secret-reader", other, HubRbac.SecretReaderRules, account));
        objects.Add(Service());
        objects.Add(new V1PodDisruptionBudget
        {
            ApiVersion = options.PodDisruptionBudgetApiVersion, Kind = "PodDisruptionBudget", Metadata = Meta(Name, ns),
            // One hub always runs: the standby takes the Lease at once when a drain evicts the leader.
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = Labels } },
        });
        objects.Add(Deployment(options));
        return objects;
    }

    /// <summary>Everything <c>hub install --controller</c> applies, as one multi-document YAML: Namespace, CRDs, then <see cref="Render"/>.</summary>
    public static string Yaml(ControllerManifestOptions options)
    {
        var documents = new List<string>
        {
            KubernetesYaml.Serialize(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = FlotillaApi.SystemNamespace } }),
        };
        documents.AddRange(CrdInstaller.Manifests().Select(m => m.Yaml));
        documents.AddRange(Render(options).Select(o => KubernetesYaml.Serialize(o)));
        return string.Join("", documents.Select(d => "---\n" + d.TrimEnd('\n') + "\n"));
    }

    private static IEnumerable<IKubernetesObject<V1ObjectMeta>> RoleAndBinding(string name, string ns, IReadOnlyList<V1PolicyRule> rules, Rbacv1Subject account)
    {
        yield return new V1Role { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "Role", Metadata = Meta(name, ns), Rules = [.. rules] };
        yield return new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "RoleBinding", Metadata = Meta(name, ns),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name }, Subjects = [account],
        };
    }

    private static V1Service Service() => new()
    {
        ApiVersion = "v1", Kind = "Service", Metadata = Meta(Name, FlotillaApi.SystemNamespace),
        // Git webhooks, the dashboard and /metrics; every replica answers (a follower queues a webhook's fetch for the leader's watch).
        Spec = new V1ServiceSpec { Selector = Labels, Ports = [new V1ServicePort { Name = "http", Port = Port, TargetPort = Port, Protocol = "TCP" }] },
    };

    private static V1Deployment Deployment(ControllerManifestOptions options)
    {
        var args = new List<string> { "hub", "run", "--listen", $"0.0.0.0:{Port}", "--data-dir", DataDirectory, "--identity", "$(POD_NAME)" };
        args.AddRange(options.CredentialAllowances.Select(CredentialAllowances.Flag).Order(StringComparer.Ordinal));
        var container = new V1Container
        {
            Name = "hub",
            Image = options.Image,
            Args = args,
            Env =
            [
                new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                // git and kubectl write their configuration and caches under HOME: the writable emptyDir, not the read-only root.
                new V1EnvVar { Name = "HOME", Value = DataDirectory },
            ],
            Ports = [new V1ContainerPort { Name = "http", ContainerPort = Port, Protocol = "TCP" }],
            LivenessProbe = Probe("/healthz", periodSeconds: 10, failureThreshold: 3),
            ReadinessProbe = Probe("/readyz", periodSeconds: 5, failureThreshold: 2),
            // Sized from bench/idle (README "Install on a real cluster"): 13m CPU idle, 187–231 MiB RSS at 3–10 members.
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("256Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("512Mi") },
            },
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false, ReadOnlyRootFilesystem = true, RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
            VolumeMounts =
            [
                new V1VolumeMount { Name = "data", MountPath = DataDirectory },
                new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
            ],
        };
        return new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment", Metadata = Meta(Name, FlotillaApi.SystemNamespace),
            Spec = new V1DeploymentSpec
            {
                Replicas = options.Replicas,
                Selector = new V1LabelSelector { MatchLabels = Labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Labels },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = Name,
                        // hub run releases the Lease and exits within 7 s of SIGTERM (HubShutdownTests).
                        TerminationGracePeriodSeconds = 10,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true, RunAsUser = 65532, RunAsGroup = 65532, FsGroup = 65532,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        // Replicas on different nodes when there are several, so one node's drain never stops both.
                        Affinity = new V1Affinity
                        {
                            PodAntiAffinity = new V1PodAntiAffinity
                            {
                                PreferredDuringSchedulingIgnoredDuringExecution =
                                [
                                    new V1WeightedPodAffinityTerm
                                    {
                                        Weight = 100,
                                        PodAffinityTerm = new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = new V1LabelSelector { MatchLabels = Labels } },
                                    },
                                ],
                            },
                        },
                        Containers = [container],
                        Volumes =
                        [
                            new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() },
                            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
                        ],
                    },
                },
            },
        };
    }

    private static V1Probe Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = Port },
        PeriodSeconds = periodSeconds, FailureThreshold = failureThreshold, TimeoutSeconds = 5,
    };

    private static V1ObjectMeta Meta(string name, string? ns) => new() { Name = name, NamespaceProperty = ns, Labels = Labels };
}
