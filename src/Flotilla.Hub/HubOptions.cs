using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.ClusterHealth;
using Flotilla.Git.Tools;
using Flotilla.Kube.Credentials;
using Flotilla.Kube.Registry;

namespace Flotilla.Hub;

/// <summary>How <c>flotilla hub run</c> connects and serves. Per-object behaviour lives in the CRDs, not here.</summary>
public sealed class HubOptions
{
    /// <summary>Kubeconfig of the hub API server (null: $KUBECONFIG or ~/.kube/config).</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Context of the hub (null: current context).</summary>
    public string? Context { get; set; }

    /// <summary>
    /// Use the pod's service account (<see cref="Flotilla.Kube.Clients.ServiceAccountMount"/>) instead of a kubeconfig.
    /// Default false; <c>flotilla hub run</c> sets it when no kubeconfig or context is given and it runs in a pod.
    /// </summary>
    public bool InCluster { get; set; }

    /// <summary>Address of /healthz, /readyz, /metrics and the Git webhook. Default 127.0.0.1:9440; port 0 picks a free one.</summary>
    public string Listen { get; set; } = "127.0.0.1:9440";

    /// <summary>Leader-election identity. Default host name + pid.</summary>
    public string Identity { get; set; } = $"{Environment.MachineName}_{Environment.ProcessId}";

    /// <summary>Where Git caches and snapshots live. Default ~/.flotilla/hub.</summary>
    public string DataDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".flotilla", "hub");

    /// <summary>Accept file:// and local-path GitRepositories (the local fleet demo). Default false.</summary>
    public bool AllowLocalSources { get; set; }

    /// <summary>
    /// The helm executable (<c>--helm</c>); null: <c>FLOTILLA_HELM</c>, the pinned tools cache, then PATH. A flag or
    /// variable naming no executable file fails <see cref="Validate"/>, never falls back to another helm.
    /// </summary>
    public string? HelmPath { get; set; }

    /// <summary>
    /// The kubectl executable for kustomize (<c>--kubectl</c>); null: <c>FLOTILLA_KUBECTL</c>, the pinned tools cache,
    /// then PATH. A flag or variable naming no executable file fails <see cref="Validate"/>, never falls back to another kubectl.
    /// </summary>
    public string? KubectlPath { get; set; }

    /// <summary>Run the workload status simulator on every member (local fleet only: no nodes there). Default false.</summary>
    public bool SimulateWorkloads { get; set; }

    /// <summary>
    /// What stored member credentials may use beyond inline data (<c>--allow-exec</c>, <c>--allow-auth-provider</c>,
    /// <c>--allow-insecure</c>, <c>--allow-proxy</c>): the hub operator's consent. A cluster's credentials use one
    /// only when the cluster was also joined with it. Default: none.
    /// </summary>
    public ISet<CredentialAllowance> CredentialAllowances { get; set; } = new HashSet<CredentialAllowance>();

    /// <summary>How long an exec credential plugin may run on the hub. Default 10 s.</summary>
    public TimeSpan ExecPluginTimeout { get; set; } = MemberClientFactory.DefaultExecTimeout;

    /// <summary>Cluster health controller settings.</summary>
    public ClusterHealthOptions Health { get; set; } = new();

    /// <summary>Per-(bundle, cluster) sync settings.</summary>
    public ClusterSyncOptions Sync { get; set; } = new();

    /// <summary>Throws when a value is unusable; a named helm or kubectl that is missing throws <see cref="FileNotFoundException"/>.</summary>
    public void Validate()
    {
        Health.Validate();
        if (string.IsNullOrWhiteSpace(DataDirectory)) throw new ArgumentException("the hub needs a data directory");
        if (ExecPluginTimeout <= TimeSpan.Zero) throw new ArgumentException("the exec plugin timeout must be positive");
        // A tool named by --helm/--kubectl or FLOTILLA_HELM/FLOTILLA_KUBECTL that is not there stops the start, not a later render.
        PinnedTool.Helm.Locate(HelmPath);
        PinnedTool.Kubectl.Locate(KubectlPath);
    }
}
