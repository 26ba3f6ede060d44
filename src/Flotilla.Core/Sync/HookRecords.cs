using System.Text;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// Hooks a delete policy removed after they ran, each with the desired hash that ran and how it ended. Stored with the
/// inventory: while a hook's desired hash is the one recorded, its absence is the expected state (not a Create, not
/// Missing), so a level-triggered sync never runs it again; new content runs it again. Value equality; text form
/// <c># flotilla hooks v1</c>, then <c>Outcome hash group_kind_namespace_name_version</c> per line, sorted.
/// </summary>
public sealed class HookRecords : IEquatable<HookRecords>
{
    public const string Header = "# flotilla hooks v1";

    private readonly SortedDictionary<ObjectRef, (string Hash, HookOutcome Outcome)> _records;

    public HookRecords(IEnumerable<(ObjectRef Ref, string Hash, HookOutcome Outcome)> records)
    {
        _records = new SortedDictionary<ObjectRef, (string, HookOutcome)>();
        foreach (var (reference, hash, outcome) in records)
        {
            if (hash.Length == 0 || hash.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) throw new ArgumentException($"{reference}: invalid hook hash", nameof(records));
            _records[reference] = (hash, outcome);
        }
    }

    public static HookRecords Empty { get; } = new([]);

    public int Count => _records.Count;

    /// <summary>How the hook ended when it ran with <paramref name="hash"/>, or null when it has no record for that content.</summary>
    public HookOutcome? OutcomeOf(ObjectRef reference, string hash) =>
        _records.TryGetValue(reference, out var r) && r.Hash == hash ? r.Outcome : null;

    /// <summary>These records with <paramref name="reference"/> ran at <paramref name="hash"/> and ended in <paramref name="outcome"/>.</summary>
    public HookRecords With(ObjectRef reference, string hash, HookOutcome outcome) =>
        new(All.Where(r => !r.Ref.Equals(reference)).Append((reference, hash, outcome)));

    /// <summary>Only the records of objects still in <paramref name="inventory"/> (a hook removed from the chart is forgotten).</summary>
    public HookRecords Within(Inventory inventory) => new(All.Where(r => inventory.Contains(r.Ref)));

    public IEnumerable<(ObjectRef Ref, string Hash, HookOutcome Outcome)> All => _records.Select(r => (r.Key, r.Value.Hash, r.Value.Outcome));

    public string Serialize()
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (reference, hash, outcome) in All) text.Append(outcome).Append(' ').Append(hash).Append(' ').Append(Inventory.Encode(reference)).Append('\n');
        return text.ToString();
    }

    /// <exception cref="FormatException">A line is malformed; the message gives the line number.</exception>
    public static HookRecords Parse(string text)
    {
        var records = new List<(ObjectRef, string, HookOutcome)>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line[0] == '#')
            {
                if (line != Header) throw new FormatException($"hook records line {number}: unknown header, expected \"{Header}\"");
                continue;
            }
            var parts = line.Split(' ', 3);
            if (parts.Length != 3 || !Enum.TryParse<HookOutcome>(parts[0], ignoreCase: false, out var outcome) || !Enum.IsDefined(outcome))
                throw new FormatException($"hook records line {number}: expected \"Outcome hash entry\"");
            records.Add((Inventory.ParseEntry(parts[2], number), parts[1], outcome));
        }
        return new HookRecords(records);
    }

    /// <summary>The same hooks (versions included), hashes and outcomes.</summary>
    public bool Equals(HookRecords? other) => other is not null
        && All.Select(r => (Inventory.Encode(r.Ref), r.Hash, r.Outcome)).SequenceEqual(other.All.Select(r => (Inventory.Encode(r.Ref), r.Hash, r.Outcome)));

    public override bool Equals(object? obj) => Equals(obj as HookRecords);

    public override int GetHashCode() => _records.Count;
}
