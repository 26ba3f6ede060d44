namespace Flotilla.Core.Overrides;

/// <summary>Container image references as Docker and Kubernetes read them: <c>[registry/]path[:tag][@digest]</c>.</summary>
public static class ImageReference
{
    /// <summary>
    /// Puts <paramref name="image"/> on <paramref name="registry"/>: the first path component is the registry when it has a
    /// <c>.</c> or <c>:</c> or is <c>localhost</c> (the Docker rule) and is replaced; otherwise the image is on Docker Hub
    /// and the registry is put in front. The rest of the reference (path, tag, digest) is kept as written, so
    /// <c>nginx:1.27</c> on <c>mirror.eu</c> becomes <c>mirror.eu/nginx:1.27</c>.
    /// </summary>
    public static string WithRegistry(string image, string registry)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = image[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
                return $"{registry}/{image[(slash + 1)..]}";
        }

        return $"{registry}/{image}";
    }
}
