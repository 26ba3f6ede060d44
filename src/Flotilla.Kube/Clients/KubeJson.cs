using System.Text.Json;
using k8s;

namespace Flotilla.Kube.Clients;

/// <summary>Maps the untyped results of the custom-object API to wire types.</summary>
public static class KubeJson
{
    /// <summary>Deserializes a custom-object API result (a <see cref="JsonElement"/>) into <typeparamref name="T"/>.</summary>
    public static T As<T>(object result) => result switch
    {
        JsonElement element => KubernetesJson.Deserialize<T>(element.GetRawText()),
        string text => KubernetesJson.Deserialize<T>(text),
        _ => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(result)),
    };
}
