using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Flotilla.Core.Manifests;

/// <summary>
/// The desired objects of one render: each identity at most once, ordered by <see cref="ObjectRef"/>.
/// </summary>
public sealed class ManifestSet : IReadOnlyCollection<Manifest>
{
    private readonly Manifest[] _manifests;
    private readonly Dictionary<ObjectRef, Manifest> _byRef;

    private ManifestSet(Manifest[] manifests)
    {
        _manifests = manifests;
        _byRef = manifests.ToDictionary(m => m.Ref);
    }

    /// <summary>A set with no objects.</summary>
    public static ManifestSet Empty { get; } = new([]);

    /// <summary>The manifests in <see cref="ObjectRef"/> order.</summary>
    public IReadOnlyList<Manifest> Manifests => _manifests;

    /// <summary>The identities in <see cref="ObjectRef"/> order.</summary>
    public IReadOnlyList<ObjectRef> Refs => Array.ConvertAll(_manifests, m => m.Ref);

    /// <inheritdoc />
    public int Count => _manifests.Length;

    /// <summary>Every manifest's warnings, in <see cref="ObjectRef"/> order (for the Bundle status); usually empty.</summary>
    public IReadOnlyList<ManifestWarning> Warnings =>
        _manifests.SelectMany(m => m.Warnings.Select(w => new ManifestWarning(m.Ref, m.Source, w))).ToArray();

    /// <summary>
    /// Builds a set, rejecting any identity defined more than once. Each duplicate yields one
    /// <see cref="ManifestErrorCode.DuplicateObject"/> error located at the later definition whose
    /// message names both sources. Identity ignores the API version.
    /// </summary>
    /// <param name="manifests">Validated manifests, in the order they were read.</param>
    /// <param name="set">The set when there were no duplicates.</param>
    /// <param name="errors">One error per duplicate definition; empty on success.</param>
    /// <returns>True when every identity is unique.</returns>
    public static bool TryBuild(
        IEnumerable<Manifest> manifests,
        [NotNullWhen(true)] out ManifestSet? set,
        out IReadOnlyList<ManifestError> errors)
    {
        ArgumentNullException.ThrowIfNull(manifests);

        var first = new Dictionary<ObjectRef, Manifest>();
        var problems = new List<ManifestError>();
        foreach (var manifest in manifests)
        {
            if (first.TryGetValue(manifest.Ref, out var earlier))
            {
                problems.Add(new ManifestError(
                    ManifestErrorCode.DuplicateObject,
                    manifest.Source,
                    $"{manifest.Ref} is defined twice: in {earlier.Source} and in {manifest.Source}"));
                continue;
            }

            first.Add(manifest.Ref, manifest);
        }

        if (problems.Count > 0)
        {
            set = null;
            errors = problems;
            return false;
        }

        var ordered = first.Values.ToArray();
        Array.Sort(ordered, static (a, b) => a.Ref.CompareTo(b.Ref));
        set = new ManifestSet(ordered);
        errors = [];
        return true;
    }

    /// <summary>
    /// The set with each manifest replaced by <paramref name="change"/>'s answer, which must keep its identity (so the
    /// order and uniqueness hold without re-checking); this set itself when nothing was replaced.
    /// </summary>
    internal ManifestSet Map(Func<Manifest, int, Manifest> change)
    {
        var changed = new Manifest[_manifests.Length];
        var any = false;
        for (var i = 0; i < _manifests.Length; i++)
        {
            changed[i] = change(_manifests[i], i);
            if (!changed[i].Ref.Equals(_manifests[i].Ref)) throw new InvalidOperationException($"{_manifests[i].Ref} changed its identity to {changed[i].Ref}");
            any |= !ReferenceEquals(changed[i], _manifests[i]);
        }

        return any ? new ManifestSet(changed) : this;
    }

    /// <summary>Looks up a manifest by identity (the version of <paramref name="reference"/> is ignored).</summary>
    public bool TryGet(ObjectRef reference, [NotNullWhen(true)] out Manifest? manifest) =>
        _byRef.TryGetValue(reference, out manifest);

    /// <summary>True when an object with this identity is in the set.</summary>
    public bool Contains(ObjectRef reference) => _byRef.ContainsKey(reference);

    /// <inheritdoc />
    public IEnumerator<Manifest> GetEnumerator() => ((IEnumerable<Manifest>)_manifests).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
