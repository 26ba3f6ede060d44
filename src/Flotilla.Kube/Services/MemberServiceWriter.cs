using System.Text.Json.Nodes;
using Flotilla.Core.Services;
using Flotilla.Kube.Api;

namespace Flotilla.Kube.Services;

/// <summary>
/// Carries out one member's part of a <see cref="ServicePlan"/>: server-side apply (field manager <c>flotilla</c>) of the
/// ServiceImport and the slice copies that changed, deletion of Flotilla's copies and import no longer wanted (the
/// plan only names objects the watch saw carrying Flotilla's labels), and the ServiceExport's conditions.
/// </summary>
public static class MemberServiceWriter
{
    public static async Task ApplyAsync(MemberServiceCache member, ServiceKey key, MemberChanges changes, CancellationToken ct)
    {
        if (changes.ApplyImport is { } import)
            await member.Client.ApplyAsync(McsResources.ServiceImport, import, dryRun: false, force: true, ct, metadataOnly: true);
        foreach (var copy in changes.ApplyCopies)
            await member.Client.ApplyAsync(member.SliceResource, copy, dryRun: false, force: true, ct, metadataOnly: true);
        foreach (var name in changes.DeleteCopies)
            await member.Client.DeleteAsync(member.SliceResource, key.Namespace, name, ct);
        if (changes.DeleteImport is { } gone)
            await member.Client.DeleteAsync(McsResources.ServiceImport, key.Namespace, gone, ct);
    }

    /// <summary>Writes the export's Valid, Ready and Conflict conditions; a condition keeps its transition time while its status stays.</summary>
    public static async Task WriteExportStatusAsync(MemberServiceCache member, ServiceKey key, ExportStatusChange change, DateTimeOffset now, CancellationToken ct)
    {
        var export = member.Export(key);
        if (export is null) return;
        var previous = export["status"]?["conditions"]?.AsArray().OfType<JsonObject>()
            .Select(c => new StatusCondition
            {
                Type = c["type"]?.GetValue<string>() ?? "",
                Status = c["status"]?.GetValue<string>() ?? "",
                LastTransitionTime = DateTimeOffset.TryParse(c["lastTransitionTime"]?.GetValue<string>(), out var t) ? t : null,
            }).ToList();
        var generation = export["metadata"]?["generation"]?.GetValue<long>();
        var conditions = new JsonArray();
        foreach (var c in change.Conditions)
        {
            var next = StatusConditions.Next(previous, c.Type, c.Status, c.Reason, c.Message, now, generation);
            conditions.Add(new JsonObject
            {
                ["type"] = next.Type, ["status"] = next.Status, ["reason"] = next.Reason, ["message"] = next.Message,
                ["lastTransitionTime"] = next.LastTransitionTime!.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["observedGeneration"] = generation,
            });
        }
        await member.Client.MergePatchStatusAsync(McsResources.ServiceExport, key.Namespace, key.Name,
            new JsonObject { ["status"] = new JsonObject { ["conditions"] = conditions } }, ct);
    }

    /// <summary>Deletes every ServiceImport and slice copy Flotilla wrote in this member for <paramref name="clusterSet"/> (the member left it).</summary>
    public static async Task RemoveSetAsync(MemberServiceCache member, string clusterSet, CancellationToken ct)
    {
        static string Meta(JsonObject o, string field) => o["metadata"]![field]!.GetValue<string>();
        bool OfSet(JsonObject o) => o["metadata"]?["labels"]?[McsNames.ClusterSetLabel]?.GetValue<string>() == clusterSet;
        foreach (var copy in member.Copies.Where(OfSet).ToList())
            await member.Client.DeleteAsync(member.SliceResource, Meta(copy, "namespace"), Meta(copy, "name"), ct);
        foreach (var import in member.Imports.Where(OfSet).ToList())
            await member.Client.DeleteAsync(McsResources.ServiceImport, Meta(import, "namespace"), Meta(import, "name"), ct);
    }
}
