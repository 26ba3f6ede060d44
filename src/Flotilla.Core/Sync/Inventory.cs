using System.Text;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// The objects Flotilla applied to one member for one bundle: what a later sync may prune. Stored in
/// the member itself (a ConfigMap/Secret) so a restarted hub recovers it.
/// </summary>
/// <remarks>
/// Entries are unique by identity and sorted by <see cref="ObjectRef"/>. Unlike <see cref="ObjectRef"/>
/// equality, inventory equality also compares versions, so re-applying at a new API version counts
/// as a change worth writing. The serialized form is one entry per line,
/// <c>group_kind_namespace_name_version</c> (Flux-like; empty group and namespace stay as empty
/// fields), after a <c># flotilla inventory v1</c> header:
/// <code>
/// # flotilla inventory v1
/// _Namespace__shop_v1
/// apps_Deployment_shop_web_v1
/// </code>
/// Group, kind, namespace and version can never contain <c>_</c>; the name may (RBAC names), so it is
/// whatever lies between the third and the last separator.
/// </remarks>
public sealed record Inventory
{
    /// <summary>The header line written first by <see cref="Serialize"/>.</summary>
    public const string Header = "# flotilla inventory v1";

    private const char Separator = '_';
    private readonly ObjectRef[] _entries;
    private readonly HashSet<ObjectRef> _lookup;

    /// <summary>Creates an inventory. The same identity twice is allowed only at the same version.</summary>
    /// <exception cref="ArgumentException">An identity appears at two versions, or a field cannot be encoded.</exception>
    public Inventory(IEnumerable<ObjectRef> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);

        var unique = new Dictionary<ObjectRef, ObjectRef>();
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            EnsureEncodable(entry);
            if (unique.TryGetValue(entry, out var existing))
            {
                if (!string.Equals(existing.Version, entry.Version, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        $"{entry} appears at two versions ({existing.Version}, {entry.Version})", nameof(entries));
                }

                continue;
            }

            unique.Add(entry, entry);
        }

        _entries = [.. unique.Keys];
        Array.Sort(_entries);
        _lookup = [.. _entries];
    }

    /// <summary>An inventory with no entries (nothing was applied).</summary>
    public static Inventory Empty { get; } = new([]);

    /// <summary>The entries in <see cref="ObjectRef"/> order.</summary>
    public IReadOnlyList<ObjectRef> Entries => _entries;

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Length;

    /// <summary>The inventory of a rendered set (what will have been applied once it syncs).</summary>
    public static Inventory From(ManifestSet manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        return new Inventory(manifests.Refs);
    }

    /// <summary>True when an object with this identity is listed (any version).</summary>
    public bool Contains(ObjectRef reference) => _lookup.Contains(reference);

    /// <summary>True when this very entry is listed: the identity at the same version.</summary>
    public bool Lists(ObjectRef reference) =>
        _lookup.TryGetValue(reference, out var listed) && string.Equals(listed.Version, reference.Version, StringComparison.Ordinal);

    /// <summary>The compact text form: the header line, then one sorted entry per line, each ending in <c>\n</c>.</summary>
    public string Serialize()
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var e in _entries)
        {
            text.Append(Encode(e)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Parses <see cref="Serialize"/>'s form. Blank lines are ignored; the header is optional.</summary>
    /// <exception cref="FormatException">A line is malformed, or the header names another format; the message gives the line number.</exception>
    public static Inventory Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var entries = new List<ObjectRef>();
        var lineNumber = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.IsWhiteSpace())
            {
                continue;
            }

            if (line[0] == '#')
            {
                if (!line.SequenceEqual(Header))
                {
                    throw new FormatException($"inventory line {lineNumber}: unknown header, expected \"{Header}\"");
                }

                continue;
            }

            entries.Add(ParseEntry(line.ToString(), lineNumber));
        }

        try
        {
            return new Inventory(entries);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"inventory: {e.Message}", e);
        }
    }

    /// <summary>Value equality: the same identities at the same versions.</summary>
    public bool Equals(Inventory? other) =>
        other is not null
        && _entries.Length == other._entries.Length
        && _entries.Zip(other._entries).All(p =>
            p.First.Equals(p.Second) && string.Equals(p.First.Version, p.Second.Version, StringComparison.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var e in _entries)
        {
            hash.Add(e);
            hash.Add(e.Version, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>A summary: <c>Inventory (n entries)</c>.</summary>
    public override string ToString() => $"Inventory ({_entries.Length} entries)";

    /// <summary>One entry's text form, <c>group_kind_namespace_name_version</c> (shared with <see cref="HookRecords"/>).</summary>
    internal static string Encode(ObjectRef e)
    {
        EnsureEncodable(e);
        return $"{e.Group}{Separator}{e.Kind}{Separator}{e.Namespace}{Separator}{e.Name}{Separator}{e.Version}";
    }

    internal static ObjectRef ParseEntry(string line, int lineNumber)
    {
        var parts = line.Split(Separator);
        if (parts.Length < 5)
        {
            throw new FormatException($"inventory line {lineNumber}: expected group_kind_namespace_name_version");
        }

        var name = string.Join(Separator, parts[3..^1]);
        var reference = new ObjectRef(parts[0], parts[^1], parts[1], parts[2], name);
        if (reference.Kind.Length == 0 || reference.Name.Length == 0 || reference.Version.Length == 0)
        {
            throw new FormatException($"inventory line {lineNumber}: kind, name and version must not be empty");
        }

        return reference;
    }

    private static void EnsureEncodable(ObjectRef entry)
    {
        if (entry.Kind.Length == 0 || entry.Name.Length == 0 || entry.Version.Length == 0)
        {
            throw new ArgumentException($"{entry}: kind, name and version must not be empty", nameof(entry));
        }

        if (entry.Group.Contains(Separator) || entry.Kind.Contains(Separator)
            || entry.Namespace.Contains(Separator) || entry.Version.Contains(Separator))
        {
            throw new ArgumentException($"{entry}: group, kind, namespace and version must not contain '{Separator}'", nameof(entry));
        }

        if (HasLineBreakOrControl(entry.Group) || HasLineBreakOrControl(entry.Kind) || HasLineBreakOrControl(entry.Namespace)
            || HasLineBreakOrControl(entry.Name) || HasLineBreakOrControl(entry.Version))
        {
            throw new ArgumentException("inventory entries must not contain control characters", nameof(entry));
        }
    }

    // char.IsControl's ranges (C0, DEL and C1), searched vectorised: every entry of every inventory built passes here.
    private static bool HasLineBreakOrControl(string value) =>
        value.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') >= 0 || value.AsSpan().IndexOfAnyInRange('\u007f', '\u009f') >= 0;
}
