using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Flotilla.Core.Services;

/// <summary>
/// Plans one multi-cluster service of one ClusterSet from what the hub's watch caches hold of every member (pure). See
/// the folder README for the rules; in short: valid exports are merged (<see cref="ImportMerger"/>); every observed
/// member whose namespace exists gets the ServiceImport and a copy of every slice of every published exporting cluster;
/// what Flotilla wrote and is no longer wanted is deleted; objects Flotilla did not write are never touched; and a
/// member the hub has not observed since it started neither gets writes nor loses what it contributed.
/// </summary>
public static class ServicePlanner
{
    /// <param name="published">Per exporting cluster, whether its endpoints are published (<see cref="EndpointLifetime"/>); absent: published.</param>
    public static ServicePlan Plan(string clusterSet, ServiceKey service, IReadOnlyList<MemberServiceView> members, IReadOnlyDictionary<string, bool> published)
    {
        var validity = members.Where(m => m.Observed && m.Export is not null).ToDictionary(m => m.Cluster, Validity, StringComparer.Ordinal);
        var exports = members.Where(m => validity.TryGetValue(m.Cluster, out var v) && v.Exported is not null).Select(m => validity[m.Cluster].Exported!).ToList();
        var merged = ImportMerger.Merge(exports);
        bool IsPublished(string cluster) => published.GetValueOrDefault(cluster, true);
        var sources = members.Where(m => exports.Any(e => e.Cluster == m.Cluster) && IsPublished(m.Cluster)).ToList();
        // Members not observed since the hub started: what they contributed stays where it is until they are seen again.
        var unseen = members.Where(m => !m.Observed && IsPublished(m.Cluster)).Select(m => m.Cluster).ToHashSet(StringComparer.Ordinal);
        var keepImport = merged is null && unseen.Count > 0 && members.Any(m => m.Copies.Any(c => c.SourceCluster is { } s && unseen.Contains(s)));

        var changes = ImmutableArray.CreateBuilder<MemberChanges>();
        var roles = ImmutableArray.CreateBuilder<MemberRole>();
        foreach (var target in members.OrderBy(m => m.Cluster, StringComparer.Ordinal))
        {
            var exportsHere = exports.Any(e => e.Cluster == target.Cluster);
            if (!target.Observed)
            {
                roles.Add(new(target.Cluster, exportsHere, target.Import is not null, "not observed (unreachable, or its watches have not listed yet)"));
                continue;
            }
            if (!target.NamespaceExists)
            {
                roles.Add(new(target.Cluster, false, false, $"namespace {service.Namespace} does not exist here"));
                continue;
            }
            JsonObject? applyImport = null;
            string? deleteImport = null;
            string why;
            if (target.ForeignImport) why = "a ServiceImport of this name exists here that Flotilla did not write; left alone";
            else if (merged is not null)
            {
                var desired = ImportedObjects.Import(clusterSet, service, merged);
                if (target.Import?.Hash != ImportedObjects.HashOf(desired)) applyImport = desired;
                why = "imported";
            }
            else if (keepImport) why = "kept: its exporting clusters are not observed yet";
            else
            {
                if (target.Import is not null) deleteImport = target.Import.Name;
                why = members.Any(m => m.Export is not null) ? "no valid export in the set" : "not exported in the set";
            }

            var wanted = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            if (!target.ForeignImport)
                foreach (var source in sources)
                    foreach (var slice in source.Slices)
                    {
                        var copy = ImportedObjects.Copy(clusterSet, service, source.Cluster, slice, target.SliceApiVersion);
                        wanted[copy["metadata"]!["name"]!.GetValue<string>()] = copy;
                    }
            var existing = target.Copies.ToDictionary(c => c.Name, StringComparer.Ordinal);
            var applyCopies = wanted.Values.Where(w => !existing.TryGetValue(w["metadata"]!["name"]!.GetValue<string>(), out var have) || have.Hash != ImportedObjects.HashOf(w))
                .OrderBy(w => w["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal).ToImmutableArray();
            var deleteCopies = target.Copies.Where(c => !wanted.ContainsKey(c.Name) && !(c.SourceCluster is { } s && unseen.Contains(s)))
                .Select(c => c.Name).Order(StringComparer.Ordinal).ToImmutableArray();
            changes.Add(new(target.Cluster, applyImport, deleteImport, applyCopies, deleteCopies));
            roles.Add(new(target.Cluster, exportsHere, !target.ForeignImport && (merged is not null || keepImport), why));
        }
        return new ServicePlan(merged, changes.ToImmutable(), ExportStatuses(members, validity, merged, clusterSet), roles.ToImmutable());
    }

    private sealed record ExportValidity(ExportedService? Exported, ExportCondition Valid);

    private static ExportValidity Validity(MemberServiceView member)
    {
        var service = member.Service;
        if (service is null)
            return new(null, new("Valid", "False", "ServiceNotFound", "no Service of this name in this namespace"));
        if (service.Type == "ExternalName")
            return new(null, new("Valid", "False", "ServiceTypeNotSupported", "an ExternalName Service cannot be exported"));
        var type = service.ClusterIp == "None" ? ImportType.Headless : ImportType.ClusterSetIP;
        return new(new ExportedService(member.Cluster, member.Export!.CreatedAt, type, service.Ports, service.SessionAffinity, service.IpFamilies),
            new("Valid", "True", "ServiceValid", $"the Service is exported as {type}"));
    }

    private static ImmutableArray<ExportStatusChange> ExportStatuses(IReadOnlyList<MemberServiceView> members,
        Dictionary<string, ExportValidity> validity, MergedImport? merged, string clusterSet)
    {
        var result = ImmutableArray.CreateBuilder<ExportStatusChange>();
        foreach (var member in members.Where(m => validity.ContainsKey(m.Cluster)).OrderBy(m => m.Cluster, StringComparer.Ordinal))
        {
            var valid = validity[member.Cluster];
            var ready = valid.Exported is not null && merged is not null
                ? new ExportCondition("Ready", "True", "Exported", $"in the ServiceImport of ClusterSet {clusterSet} (exported by {string.Join(", ", merged.Clusters)})")
                : new ExportCondition("Ready", "False", valid.Valid.Reason, valid.Valid.Message);
            var conflict = merged is not null && merged.Conflicts.TryGetValue(member.Cluster, out var c)
                ? new ExportCondition("Conflict", "True", c.Reason, c.Message)
                : new ExportCondition("Conflict", "False", "NoConflict", "no property conflicts with an older export");
            ImmutableArray<ExportCondition> conditions = [valid.Valid, ready, conflict];
            if (!conditions.SequenceEqual(member.Export!.Conditions)) result.Add(new(member.Cluster, conditions));
        }
        return result.ToImmutable();
    }
}
