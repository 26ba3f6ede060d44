using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Flotilla.Core.Services;

/// <summary>What to write in one member: the import to apply or delete, slice copies to apply (changed ones only) and to delete.</summary>
public sealed record MemberChanges(string Cluster, JsonObject? ApplyImport, string? DeleteImport, ImmutableArray<JsonObject> ApplyCopies,
    ImmutableArray<string> DeleteCopies)
{
    public bool IsEmpty => ApplyImport is null && DeleteImport is null && ApplyCopies.IsEmpty && DeleteCopies.IsEmpty;
}

/// <summary>New conditions for a member's ServiceExport (only when they differ from what it carries).</summary>
public sealed record ExportStatusChange(string Cluster, ImmutableArray<ExportCondition> Conditions);

/// <summary>Where the service is in one member: exported, imported, and why not.</summary>
public sealed record MemberRole(string Cluster, bool Exports, bool Imports, string Why);

/// <summary>The plan for one multi-cluster service in one set: changes per member, export conditions, and each member's role.</summary>
public sealed record ServicePlan(MergedImport? Import, ImmutableArray<MemberChanges> Changes, ImmutableArray<ExportStatusChange> Exports,
    ImmutableArray<MemberRole> Roles)
{
    public bool IsEmpty => Changes.All(c => c.IsEmpty) && Exports.IsEmpty;
}
