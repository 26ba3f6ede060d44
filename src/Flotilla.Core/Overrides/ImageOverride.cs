using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>
/// Replaces a container image, or only its registry. Exactly one of <see cref="Image"/> and <see cref="Registry"/> is set.
/// With <see cref="Container"/> the container of that name (in <c>containers</c> or <c>initContainers</c>) must exist.
/// Without it, <see cref="Image"/> replaces every entry of <c>containers</c> (init containers run other images), and
/// <see cref="Registry"/> moves every container and init container (a regional mirror serves all of a pod's images).
/// </summary>
public sealed record ImageOverride(string? Container, string? Image, string? Registry) : OverrideAction
{
    internal override IEnumerable<string> Problems()
    {
        if ((Image is null) == (Registry is null)) yield return "image: set exactly one of \"image\" and \"registry\"";
        if (Image is not null && !IsReference(Image)) yield return "image.image must be non-empty without whitespace";
        if (Registry is not null && (!IsReference(Registry) || Registry.EndsWith('/'))) yield return "image.registry must be a host[:port][/path] without whitespace or a trailing '/'";
        if (Container is { Length: 0 }) yield return "image.container must not be empty (leave it out for every container)";
    }

    internal override ChangeProblem? ApplyTo(JsonObject body)
    {
        var containers = new List<(JsonObject Container, string Pointer)>();
        var problem = PodSpecLocator.Containers(body, Container, Image is null ? ["containers", "initContainers"] : ["containers"], containers);
        if (problem is not null) return problem;
        foreach (var (container, pointer) in containers)
        {
            if (Image is not null)
            {
                container["image"] = Image;
                continue;
            }

            if (container["image"] is not JsonValue value || !value.TryGetValue<string>(out var current))
                return ChangeProblem.NotFound($"{pointer}/image");
            container["image"] = ImageReference.WithRegistry(current, Registry!);
        }

        return null;
    }

    private static bool IsReference(string text) => text.Length > 0 && !text.Any(char.IsWhiteSpace);
}
