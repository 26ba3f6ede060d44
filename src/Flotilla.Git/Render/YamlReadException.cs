using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>Stops reading one YAML stream; carries the classified error. Never escapes <see cref="SafeYamlReader"/>.</summary>
internal sealed class YamlReadException(ManifestErrorCode code, string message) : Exception(message)
{
    public ManifestErrorCode Code { get; } = code;
}
