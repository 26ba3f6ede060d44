using Flotilla.Kube.Api;

namespace Flotilla.Hub.Api.Auth;

/// <summary>One question for the hub's RBAC: may the caller <see cref="Verb"/> the resource (in a namespace, by name)?</summary>
public sealed record AccessCheck(string Verb, string Group, string Resource, string? Namespace = null, string? Name = null)
{
    public static AccessCheck ListClusters { get; } = new("list", FlotillaApi.Group, FlotillaApi.ClusterPlural);
    public static AccessCheck ListSources { get; } = new("list", FlotillaApi.Group, GitRepositoryResource.Plural);
    public static AccessCheck ListEvents { get; } = new("list", "", "events");

    /// <summary>List Bundles of <paramref name="ns"/>, or of every namespace when null.</summary>
    public static AccessCheck ListBundles(string? ns = null) => new("list", FlotillaApi.Group, BundleResource.Plural, ns);

    public static AccessCheck GetBundle(string ns, string name) => new("get", FlotillaApi.Group, BundleResource.Plural, ns, name);

    public static AccessCheck GetCluster(string name) => new("get", FlotillaApi.Group, FlotillaApi.ClusterPlural, null, name);

    /// <summary>A rollout command is a patch of the Bundle (the annotation), as with <c>flotilla rollout</c>.</summary>
    public static AccessCheck PatchBundle(string ns, string name) => new("patch", FlotillaApi.Group, BundleResource.Plural, ns, name);

    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? Resource : $"{Resource}.{Group}")}{(Name is null ? "" : $" {Name}")}{(Namespace is null ? "" : $" in namespace {Namespace}")}";
}
