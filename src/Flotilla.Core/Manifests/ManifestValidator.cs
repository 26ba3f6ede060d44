using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flotilla.Core.Manifests;

/// <summary>
/// Checks that a single JSON object is an applicable Kubernetes object and derives its identity.
/// </summary>
/// <remarks>
/// Rules: <c>apiVersion</c> is <c>version</c> or <c>group/version</c> (group a DNS subdomain, version a
/// DNS label); <c>kind</c> is alphanumeric starting with a letter; <c>metadata.name</c> is present
/// (<c>generateName</c> cannot be applied declaratively) and is a DNS subdomain — a DNS label for
/// core Namespaces and Services, a path segment for RBAC kinds; <c>metadata.namespace</c>, when
/// non-empty, is a DNS label; on a built-in cluster-scoped kind it is removed from the body with a warning
/// (<see cref="Manifest.Warnings"/>), as the API server ignores it. All problems of one object are reported together.
/// Messages quote names and kinds, never other field values.
/// </remarks>
public static class ManifestValidator
{
    private const int MaxQuotedLength = 100;

    /// <summary>Validates <paramref name="body"/> and, if valid, wraps it in a <see cref="Manifest"/>.</summary>
    /// <param name="body">The object; ownership passes to the manifest.</param>
    /// <param name="source">Where it was read from; every error names it.</param>
    /// <param name="manifest">The manifest when valid.</param>
    /// <param name="errors">Every problem found; empty when valid.</param>
    /// <returns>True when the object is valid.</returns>
    public static bool TryCreate(
        JsonObject body,
        SourceLocation source,
        [NotNullWhen(true)] out Manifest? manifest,
        out IReadOnlyList<ManifestError> errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(source);

        var problems = new List<string>();
        var warnings = new List<string>();
        var (group, version) = ValidateApiVersion(body, problems);
        var kind = ValidateKind(body, problems);
        var (ns, name) = ValidateMetadata(body, group, kind, problems, warnings);

        if (problems.Count > 0 || group is null || version is null || kind is null || ns is null || name is null)
        {
            manifest = null;
            errors = problems.ConvertAll(p => new ManifestError(ManifestErrorCode.InvalidObject, source, p));
            return false;
        }

        manifest = new Manifest(new ObjectRef(group, version, kind, ns, name), body, source, warnings);
        errors = [];
        return true;
    }

    private static (string? Group, string? Version) ValidateApiVersion(JsonObject body, List<string> problems)
    {
        var apiVersion = GetString(body, "apiVersion", "apiVersion", problems);
        if (apiVersion is null)
        {
            return (null, null);
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var valid = (slash < 0 || KubernetesNames.IsDnsSubdomain(group)) && KubernetesNames.IsDnsLabel(version);
        if (!valid)
        {
            problems.Add($"apiVersion \"{Quote(apiVersion)}\" is not \"version\" or \"group/version\"");
            return (null, null);
        }

        return (group, version);
    }

    private static string? ValidateKind(JsonObject body, List<string> problems)
    {
        var kind = GetString(body, "kind", "kind", problems);
        if (kind is not null && !KubernetesNames.IsKind(kind))
        {
            problems.Add($"kind \"{Quote(kind)}\" must be a letter followed by letters and digits, at most {KubernetesNames.MaxLabelLength} characters");
            return null;
        }

        return kind;
    }

    private static (string? Namespace, string? Name) ValidateMetadata(
        JsonObject body, string? group, string? kind, List<string> problems, List<string> warnings)
    {
        if (!body.TryGetPropertyValue("metadata", out var metadataNode) || metadataNode is null)
        {
            problems.Add("metadata.name is required");
            return (null, null);
        }

        if (metadataNode is not JsonObject metadata)
        {
            problems.Add("metadata must be a mapping");
            return (null, null);
        }

        string? name;
        if (!metadata.ContainsKey("name") && metadata.ContainsKey("generateName"))
        {
            problems.Add("metadata.name is required (generateName cannot be applied declaratively)");
            name = null;
        }
        else
        {
            name = GetString(metadata, "name", "metadata.name", problems);
        }

        if (name is not null && group is not null && kind is not null && !IsValidName(group, kind, name, out var rule))
        {
            problems.Add($"metadata.name \"{Quote(name)}\" is not a valid {rule}");
            name = null;
        }

        var ns = string.Empty;
        if (metadata.TryGetPropertyValue("namespace", out var nsNode) && nsNode is not null)
        {
            if (nsNode.GetValueKind() != JsonValueKind.String)
            {
                problems.Add("metadata.namespace must be a string");
                return (null, name);
            }

            ns = nsNode.GetValue<string>();
            if (ns.Length > 0 && !KubernetesNames.IsDnsLabel(ns))
            {
                problems.Add($"metadata.namespace \"{Quote(ns)}\" is not a valid DNS label (lower-case alphanumerics and '-', at most {KubernetesNames.MaxLabelLength})");
                return (null, name);
            }

            if (ns.Length > 0 && group is not null && kind is not null && WellKnownKinds.IsClusterScoped(group, kind))
            {
                metadata.Remove("namespace");
                var prefix = group.Length == 0 ? kind : $"{group}/{kind}";
                warnings.Add(ClusterScopedNamespace.Warning(ns, $"{prefix}/{Quote(name ?? "")}"));
                ns = string.Empty;
            }
        }

        return (ns, name);
    }

    private static bool IsValidName(string group, string kind, string name, out string rule)
    {
        if (WellKnownKinds.UsesPathSegmentNames(group, kind))
        {
            rule = "name (no '/', '%', whitespace; not '.' or '..')";
            return KubernetesNames.IsPathSegmentName(name);
        }

        if (WellKnownKinds.UsesDnsLabelNames(group, kind))
        {
            rule = $"DNS label (lower-case alphanumerics and '-', at most {KubernetesNames.MaxLabelLength})";
            return KubernetesNames.IsDnsLabel(name);
        }

        rule = $"DNS subdomain (lower-case alphanumerics, '-' and '.', at most {KubernetesNames.MaxSubdomainLength})";
        return KubernetesNames.IsDnsSubdomain(name);
    }

    private static string? GetString(JsonObject owner, string property, string fieldPath, List<string> problems)
    {
        if (!owner.TryGetPropertyValue(property, out var node) || node is null)
        {
            problems.Add($"{fieldPath} is required");
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            problems.Add($"{fieldPath} must be a string");
            return null;
        }

        var value = node.GetValue<string>();
        if (value.Length == 0)
        {
            problems.Add($"{fieldPath} must not be empty");
            return null;
        }

        return value;
    }

    private static string Quote(string value) =>
        value.Length <= MaxQuotedLength ? value : string.Concat(value.AsSpan(0, MaxQuotedLength), "…");
}
