namespace Flotilla.Core.Manifests;

/// <summary>Why a set of manifests could not be produced. Classify errors by this, never by message text.</summary>
public enum ManifestErrorCode
{
    /// <summary>The file is not valid YAML/JSON, or uses YAML this reader refuses (complex keys, unknown tags, duplicate keys, a non-mapping document).</summary>
    InvalidYaml,

    /// <summary>A safety cap was exceeded: file size, total bytes, files, documents, objects, nesting depth, alias expansion, time or output size.</summary>
    LimitExceeded,

    /// <summary>An object is not a valid Kubernetes object (apiVersion, kind, metadata.name, namespace).</summary>
    InvalidObject,

    /// <summary>The same object (group, kind, namespace, name) is defined more than once.</summary>
    DuplicateObject,

    /// <summary>A path, symlink or <c>..</c> segment points outside the allowed root.</summary>
    PathEscape,

    /// <summary>A kustomization references something remote (http, https, git, ssh, a hosted repository).</summary>
    RemoteReference,

    /// <summary>A kustomization uses an exec, container, Starlark or Helm plugin, or a non-builtin generator/transformer.</summary>
    ForbiddenPlugin,

    /// <summary>A kustomization file is malformed or references a local path that does not exist.</summary>
    InvalidKustomization,

    /// <summary>The kustomize process failed (non-zero exit, could not start).</summary>
    KustomizeFailed,

    /// <summary>A file could not be read (I/O error, not UTF-8).</summary>
    ReadFailed,

    /// <summary>A Helm chart does not render: a template error or <c>fail</c> (quoted), a missing or mismatched dependency, helm could not start.</summary>
    ChartFailed,
}
