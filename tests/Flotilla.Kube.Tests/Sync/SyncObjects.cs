using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;
using Flotilla.Kube.Sync;

namespace Flotilla.Kube.Tests.Sync;

/// <summary>Rendered objects and sync requests for executor tests: bundle <c>default/shop</c>, objects in namespace <c>shop</c>.</summary>
internal static class SyncObjects
{
    public static readonly string Owner = OwnershipLabels.ValueFor("default", "shop");

    public static JsonObject ConfigMap(string name, string value = "1") => Body("v1", "ConfigMap", name, "shop", new JsonObject { ["data"] = new JsonObject { ["value"] = value } });

    public static JsonObject Namespace(string name) => Body("v1", "Namespace", name, null);

    public static JsonObject Crd(string name) => Body("apiextensions.k8s.io/v1", "CustomResourceDefinition", name, null, new JsonObject
    {
        ["spec"] = new JsonObject { ["group"] = "example.io", ["scope"] = "Namespaced" },
    });

    public static JsonObject ApiService(string name) => Body("apiregistration.k8s.io/v1", "APIService", name, null, new JsonObject
    {
        ["spec"] = new JsonObject { ["group"] = "metrics.example.io", ["version"] = "v1", ["groupPriorityMinimum"] = 100, ["versionPriority"] = 100 },
    });

    public static JsonObject Webhook(string name) => Body("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", name, null);

    public static JsonObject Widget(string name) => Body("example.io/v1", "Widget", name, "shop", new JsonObject { ["spec"] = new JsonObject { ["size"] = 3 } });

    /// <summary>A Helm hook Job (<paramref name="hook"/>: the <c>helm.sh/hook</c> value) running <paramref name="command"/>.</summary>
    public static JsonObject HookJob(string name, string hook, string? deletePolicy = null, string command = "true")
    {
        var annotations = new JsonObject { ["helm.sh/hook"] = hook };
        if (deletePolicy is not null) annotations["helm.sh/hook-delete-policy"] = deletePolicy;
        var job = Body("batch/v1", "Job", name, "shop", new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "run", ["image"] = "busybox", ["command"] = new JsonArray("sh", "-c", command) }),
                    },
                },
            },
        });
        job["metadata"]!["annotations"] = annotations;
        return job;
    }

    /// <summary>A copy of <paramref name="body"/> with annotation <c>note</c> set: the same object, changed.</summary>
    public static JsonObject Annotated(JsonObject body, string note)
    {
        var copy = body.DeepClone().AsObject();
        copy["metadata"]!["annotations"] = new JsonObject { ["note"] = note };
        return copy;
    }

    /// <summary>The identity of a body built here (version included).</summary>
    public static ObjectRef Ref(JsonObject body)
    {
        var apiVersion = body["apiVersion"]!.GetValue<string>();
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return new ObjectRef(group, version, body["kind"]!.GetValue<string>(), body["metadata"]?["namespace"]?.GetValue<string>() ?? "", body["metadata"]!["name"]!.GetValue<string>());
    }

    public static SyncRequest Request(string revision, params JsonObject[] bodies) => Request(revision, new SyncPolicy(), bodies);

    public static SyncRequest Request(string revision, SyncPolicy policy, params JsonObject[] bodies)
    {
        var manifests = bodies.Select((b, i) =>
        {
            Assert.True(ManifestValidator.TryCreate(b.DeepClone().AsObject(), new SourceLocation("shop.yaml", i), out var manifest, out var errors), string.Join("; ", errors));
            return manifest!;
        });
        Assert.True(ManifestSet.TryBuild(manifests, out var set, out var problems), string.Join("; ", problems));
        return new SyncRequest("default", "shop", revision, set!, policy);
    }

    /// <summary>An object as a sync of bundle <paramref name="owner"/> left it on the member (labelled, no desired hash).</summary>
    public static JsonObject Labelled(JsonObject body, string owner)
    {
        var copy = body.DeepClone().AsObject();
        copy["metadata"]!["labels"] = new JsonObject { [OwnershipLabels.ManagedBy] = OwnershipLabels.ManagedByValue, [OwnershipLabels.Bundle] = owner };
        return copy;
    }

    private static JsonObject Body(string apiVersion, string kind, string name, string? ns, JsonObject? rest = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null) metadata["namespace"] = ns;
        var body = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
        foreach (var (key, value) in rest ?? []) body[key] = value?.DeepClone();
        return body;
    }
}
