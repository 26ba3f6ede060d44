using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync.Normalization;

/// <summary>
/// A desired object rewritten the way the API server (or a built-in controller) stores it, for drift comparison
/// only — never applied. Each rule is one the server applies to objects real manifests contain; the rules that hold
/// for every field (zero values omitted, quantities canonicalised) live in <see cref="DriftComparer"/> instead.
/// </summary>
internal static class StoredForm
{
    /// <summary>
    /// <paramref name="desired"/> itself when no rule applies (the common case costs no copy), otherwise a
    /// rewritten deep copy.
    /// </summary>
    public static JsonObject Of(JsonObject desired)
    {
        var (group, kind) = GroupKind(desired);
        return (group, kind) switch
        {
            (WellKnownKinds.Core, "Secret") when desired["stringData"] is JsonObject => SecretWithStringDataMerged(desired),
            (WellKnownKinds.Rbac, "RoleBinding" or "ClusterRoleBinding") when desired["subjects"] is JsonArray => BindingWithDefaultedSubjects(desired),
            (WellKnownKinds.Rbac, "ClusterRole") when desired["aggregationRule"] is JsonObject && desired.ContainsKey("rules") => AggregatedRoleWithoutRules(desired),
            _ => desired,
        };
    }

    /// <summary>
    /// <c>stringData</c> is write-only: the server base64-encodes each entry into <c>data</c> (overriding a
    /// <c>data</c> entry of the same key) and never returns <c>stringData</c>.
    /// </summary>
    private static JsonObject SecretWithStringDataMerged(JsonObject desired)
    {
        var copy = desired.DeepClone().AsObject();
        var stringData = copy["stringData"]!.AsObject();
        if (copy["data"] is not JsonObject data)
        {
            copy["data"] = data = new JsonObject();
        }

        foreach (var (key, value) in stringData.ToList())
        {
            // A non-string value is refused by the server; leaving it in place reports it rather than hiding it.
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v.GetValue<string>()));
                stringData.Remove(key);
            }
        }

        if (stringData.Count == 0)
        {
            copy.Remove("stringData");
        }

        return copy;
    }

    /// <summary>
    /// The RBAC defaulter sets a subject's empty <c>apiGroup</c> from its kind: none for a ServiceAccount (so an
    /// explicit <c>apiGroup: ""</c> is omitted), <c>rbac.authorization.k8s.io</c> for a User or Group.
    /// </summary>
    private static JsonObject BindingWithDefaultedSubjects(JsonObject desired)
    {
        var copy = desired.DeepClone().AsObject();
        foreach (var subject in copy["subjects"]!.AsArray().OfType<JsonObject>())
        {
            if (subject["apiGroup"] is not JsonValue apiGroup || apiGroup.GetValueKind() != JsonValueKind.String || apiGroup.GetValue<string>().Length > 0)
            {
                continue;
            }

            var subjectKind = subject["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
            switch (subjectKind)
            {
                case "ServiceAccount":
                    subject.Remove("apiGroup");
                    break;
                case "User" or "Group":
                    subject["apiGroup"] = WellKnownKinds.Rbac;
                    break;
            }
        }

        return copy;
    }

    /// <summary>
    /// The controller-manager owns the <c>rules</c> of an aggregated ClusterRole (it fills them from the roles the
    /// <c>aggregationRule</c> selects), so the desired <c>rules</c> (usually <c>[]</c>) are not a promise to keep.
    /// </summary>
    private static JsonObject AggregatedRoleWithoutRules(JsonObject desired)
    {
        var copy = desired.DeepClone().AsObject();
        copy.Remove("rules");
        return copy;
    }

    private static (string? Group, string? Kind) GroupKind(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null;
        var kind = obj["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
        if (apiVersion is null)
        {
            return (null, kind);
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return (slash < 0 ? WellKnownKinds.Core : apiVersion[..slash], kind);
    }
}
