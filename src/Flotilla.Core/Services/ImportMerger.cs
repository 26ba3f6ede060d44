using System.Collections.Immutable;

namespace Flotilla.Core.Services;

/// <summary>
/// KEP-1645's merge of the exports of one namespace/name. Precedence is by export age (creation time, then cluster
/// name): the oldest export decides the type, session affinity and address families; ports are the union by name,
/// and a port name the oldest already defines with another number or protocol keeps the oldest's definition. Every
/// export that lost on some property gets an <see cref="ExportConflict"/> naming each difference. Conflicting exports
/// still contribute their endpoints: the conflict is about the Service's shape, not its backends.
/// </summary>
public static class ImportMerger
{
    /// <summary>The merged import, or null when nothing is exported.</summary>
    public static MergedImport? Merge(IEnumerable<ExportedService> exports)
    {
        var ordered = exports.OrderBy(e => e.ExportedAt).ThenBy(e => e.Cluster, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0) return null;
        var oldest = ordered[0];
        var ports = new List<(ServicePort Port, string Cluster)>();
        var conflicts = ImmutableSortedDictionary.CreateBuilder<string, ExportConflict>(StringComparer.Ordinal);
        foreach (var export in ordered)
        {
            var problems = new List<(string Reason, string Message)>();
            if (export.Type != oldest.Type)
                problems.Add(("TypeConflict", $"type is {export.Type} here but {oldest.Type} in {oldest.Cluster} (the oldest export)"));
            if (export.SessionAffinity != oldest.SessionAffinity)
                problems.Add(("SessionAffinityConflict", $"sessionAffinity is {export.SessionAffinity} here but {oldest.SessionAffinity} in {oldest.Cluster} (the oldest export)"));
            if (!export.IpFamilies.IsEmpty && !oldest.IpFamilies.IsEmpty && !export.IpFamilies.SequenceEqual(oldest.IpFamilies))
                problems.Add(("IPFamilyConflict", $"ipFamilies are {string.Join(",", export.IpFamilies)} here but {string.Join(",", oldest.IpFamilies)} in {oldest.Cluster} (the oldest export)"));
            foreach (var port in export.Ports)
            {
                var same = ports.FirstOrDefault(p => p.Port.Name == port.Name);
                if (same.Port is null) ports.Add((port, export.Cluster));
                else if (same.Port.Port != port.Port || same.Port.Protocol != port.Protocol)
                    problems.Add(("PortConflict", $"port {Named(port)} is {port.Port}/{port.Protocol} here but {same.Port.Port}/{same.Port.Protocol} in {same.Cluster} (an older export)"));
            }
            if (problems.Count > 0) conflicts[export.Cluster] = new ExportConflict(problems[0].Reason, string.Join("; ", problems.Select(p => p.Message)));
        }
        return new MergedImport(oldest.Type, [.. ports.Select(p => p.Port).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Port)],
            oldest.SessionAffinity, oldest.IpFamilies, [.. ordered.Select(e => e.Cluster).Order(StringComparer.Ordinal)], conflicts.ToImmutable());
    }

    private static string Named(ServicePort port) => port.Name.Length == 0 ? "(unnamed)" : $"\"{port.Name}\"";
}
