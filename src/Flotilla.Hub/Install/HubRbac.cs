using Flotilla.Kube.Api;
using k8s.Models;

namespace Flotilla.Hub.Install;

/// <summary>
/// What the hub's ServiceAccount may do, and nothing more: every API call <c>flotilla hub run</c> makes. The README's
/// "RBAC" table documents the same rules (a test compares them).
/// </summary>
public static class HubRbac
{
    /// <summary>Rules granted everywhere (a ClusterRole): Flotilla's own objects, Events on them, the dashboard's reviews.</summary>
    public static IReadOnlyList<V1PolicyRule> ClusterRules { get; } =
    [
        Rule(FlotillaApi.Group, [FlotillaApi.ClusterPlural, BundleResource.Plural, GitRepositoryResource.Plural, HelmRepositoryResource.Plural], "get", "list", "watch", "patch"),
        Rule(FlotillaApi.Group, [$"{FlotillaApi.ClusterPlural}/status", $"{BundleResource.Plural}/status", $"{GitRepositoryResource.Plural}/status", $"{HelmRepositoryResource.Plural}/status"], "patch"),
        Rule(FlotillaApi.Group, [ClusterSetResource.Plural, GlobalEndpointResource.Plural], "get", "list", "watch"),
        Rule(FlotillaApi.Group, [$"{ClusterSetResource.Plural}/status", $"{GlobalEndpointResource.Plural}/status"], "patch"),
        Rule("externaldns.k8s.io", ["dnsendpoints"], "get", "patch"),
        Rule(FlotillaApi.Group, [FlotillaApi.NotificationPlural], "get", "list", "watch"),
        Rule("", ["events"], "create", "list", "watch"),
        Rule("authentication.k8s.io", ["tokenreviews"], "create"),
        Rule("authorization.k8s.io", ["subjectaccessreviews"], "create"),
    ];

    /// <summary>
    /// Rules in <c>flotilla-system</c> (a Role): the leader Lease, and the credentials Secrets <c>cluster join</c> stores
    /// there (read to reach members, their versions watched to see a rotation; deleted when a cluster's removal has finished).
    /// </summary>
    public static IReadOnlyList<V1PolicyRule> SystemRules { get; } =
    [
        Rule("coordination.k8s.io", ["leases"], "get", "create", "update"),
        Rule("", ["secrets"], "get", "list", "watch", "delete"),
    ];

    /// <summary>Rules in every other namespace named at install time (a Role each): reading Git and credential Secrets.</summary>
    public static IReadOnlyList<V1PolicyRule> SecretReaderRules { get; } =
    [
        Rule("", ["secrets"], "get"),
    ];

    private static V1PolicyRule Rule(string group, string[] resources, params string[] verbs) =>
        new() { ApiGroups = [group], Resources = resources, Verbs = verbs };
}
