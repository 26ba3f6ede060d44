namespace Flotilla.Core.Manifests;

/// <summary>
/// Identifies one Kubernetes object: API group, version, kind, namespace and name.
/// </summary>
/// <remarks>
/// Identity ignores <see cref="Version"/>: <c>apps/v1 Deployment shop/web</c> and
/// <c>apps/v1beta1 Deployment shop/web</c> are the same object served at two versions, so
/// <see cref="Equals(ObjectRef?)"/>, <see cref="GetHashCode"/> and <see cref="CompareTo"/> all
/// compare group, kind, namespace and name only, ordinally. The version is carried along so that
/// an inventory remembers which version an object was applied at. The core group is the empty
/// string; a cluster-scoped object has an empty namespace.
/// </remarks>
public sealed record ObjectRef : IComparable<ObjectRef>
{
    /// <summary>Creates a reference. No argument may be null; group and namespace may be empty.</summary>
    public ObjectRef(string group, string version, string kind, string @namespace, string name)
    {
        Group = group ?? throw new ArgumentNullException(nameof(group));
        Version = version ?? throw new ArgumentNullException(nameof(version));
        Kind = kind ?? throw new ArgumentNullException(nameof(kind));
        Namespace = @namespace ?? throw new ArgumentNullException(nameof(@namespace));
        Name = name ?? throw new ArgumentNullException(nameof(name));
    }

    // Identity is hashed once per instance: a plan looks every object up in several maps per cluster. Setting an
    // identity field (a constructor, or `with` on a copy, which copies this too) forgets it.
    private int _hash;

    // The kind's apply order (stage and rank, packed; 0 until first asked), kept for the same reason: every cluster's
    // plan sorts its objects by it. A long, so threads sharing the instance never see half of it.
    private long _kindOrder;

    /// <summary>API group; empty for the core group (<c>v1</c>).</summary>
    public string Group { get; init { field = value; _hash = 0; _kindOrder = 0; } }

    /// <summary>API version within the group, e.g. <c>v1</c>. Not part of identity.</summary>
    public string Version { get; init; }

    /// <summary>Kind, e.g. <c>Deployment</c>.</summary>
    public string Kind { get; init { field = value; _hash = 0; _kindOrder = 0; } }

    /// <summary>Namespace; empty for cluster-scoped objects (or when none was given).</summary>
    public string Namespace { get; init { field = value; _hash = 0; } }

    /// <summary>metadata.name.</summary>
    public string Name { get; init { field = value; _hash = 0; } }

    /// <summary>The kind's stage and rank in apply order (<see cref="Sync.KindOrder"/>), looked up once per instance.</summary>
    internal (Sync.ApplyStageKind Stage, int Rank) KindOrder
    {
        get
        {
            var packed = Volatile.Read(ref _kindOrder);
            if (packed == 0)
            {
                var (stage, rank) = Sync.KindOrder.Lookup(Group, Kind);
                packed = (long)stage << 32 | (uint)rank;
                Volatile.Write(ref _kindOrder, packed);
            }
            return ((Sync.ApplyStageKind)(packed >> 32), (int)(uint)packed);
        }
    }

    /// <summary>The <c>apiVersion</c> string: <c>v1</c> for the core group, otherwise <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Equal when group, kind, namespace and name are ordinally equal; the version is ignored.</summary>
    public bool Equals(ObjectRef? other) =>
        ReferenceEquals(this, other)
        || other is not null
        && string.Equals(Group, other.Group, StringComparison.Ordinal)
        && string.Equals(Kind, other.Kind, StringComparison.Ordinal)
        && string.Equals(Namespace, other.Namespace, StringComparison.Ordinal)
        && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (_hash != 0) return _hash;
        var hash = HashCode.Combine(
            StringComparer.Ordinal.GetHashCode(Group),
            StringComparer.Ordinal.GetHashCode(Kind),
            StringComparer.Ordinal.GetHashCode(Namespace),
            StringComparer.Ordinal.GetHashCode(Name));
        return _hash = hash == 0 ? 1 : hash;
    }

    /// <summary>Ordinal order by group, kind, namespace, then name (consistent with equality). Null sorts first.</summary>
    public int CompareTo(ObjectRef? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = string.CompareOrdinal(Group, other.Group);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(Kind, other.Kind);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(Namespace, other.Namespace);
        return c != 0 ? c : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>
    /// <c>[group/]Kind/[namespace/]name</c>: <c>apps/Deployment/shop/web</c>, <c>Service/shop/web</c>,
    /// <c>Namespace/shop</c>. The group is omitted for the core group, the namespace when empty.
    /// </summary>
    public override string ToString()
    {
        var prefix = Group.Length == 0 ? Kind : $"{Group}/{Kind}";
        return Namespace.Length == 0 ? $"{prefix}/{Name}" : $"{prefix}/{Namespace}/{Name}";
    }
}
