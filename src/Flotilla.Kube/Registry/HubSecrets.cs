using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Registry;

/// <summary>
/// Reads the hub's Secrets that are asked for again and again (a GitRepository's credentials on every fetch, its
/// webhook key on every push): with <paramref name="versions"/>, a Secret is read once and then only when its watch
/// shows that its resourceVersion moved. In a namespace that is not watched (the hub may not list Secrets there, or
/// its watch is down), and without <paramref name="versions"/> (the CLI), every call reads, as it did before. A
/// Secret the watch does not know yet is read too: a watch a few milliseconds behind never makes one missing.
/// </summary>
public sealed class HubSecrets(IKubernetes hub, SecretVersions? versions = null)
{
    private readonly ConcurrentDictionary<(string Ns, string Name), V1Secret> _read = new();

    /// <summary>The Secret, current as of the watch (or of this call); errors as <c>ReadNamespacedSecretAsync</c> throws them.</summary>
    public async Task<V1Secret> ReadAsync(string ns, string name, CancellationToken ct)
    {
        var key = (ns, name);
        if (versions is not null && versions.TryGet(ns, name, out var version))
        {
            if (version is null) _read.TryRemove(key, out _); // gone, as far as the watch knows: its data goes now
            else if (_read.TryGetValue(key, out var known) && known.Metadata.ResourceVersion == version) return known;
        }
        try
        {
            var secret = await hub.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct);
            if (versions is not null) _read[key] = secret;
            return secret;
        }
        catch
        {
            _read.TryRemove(key, out _);
            throw;
        }
    }
}
