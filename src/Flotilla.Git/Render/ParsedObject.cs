using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>
/// One mapping read from YAML, not yet validated as a Kubernetes object, with where it was read from.
/// The JSON body has no parent and belongs to the holder.
/// </summary>
public sealed class ParsedObject
{
    /// <summary>Pairs a body with its source.</summary>
    public ParsedObject(JsonObject body, SourceLocation source)
    {
        Body = body ?? throw new ArgumentNullException(nameof(body));
        Source = source ?? throw new ArgumentNullException(nameof(source));
    }

    /// <summary>The mapping as JSON.</summary>
    public JsonObject Body { get; }

    /// <summary>File, document index and (for <c>List</c> items) item index.</summary>
    public SourceLocation Source { get; }
}
