using YamlDotNet.RepresentationModel;

namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// One item of a kubeconfig's <c>clusters</c>, <c>contexts</c> or <c>users</c> list: the item mapping
/// (holding <c>name</c>, the body key and any unknown fields) and its body, null when the body is absent.
/// </summary>
internal sealed record KubeconfigEntry(string Name, YamlMappingNode Item, YamlMappingNode? Body);
