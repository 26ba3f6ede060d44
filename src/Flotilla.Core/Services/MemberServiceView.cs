using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Flotilla.Core.Services;

/// <summary>The member's ServiceExport of the service: when it was made (precedence) and the conditions it carries now.</summary>
public sealed record ExportObservation(DateTimeOffset CreatedAt, long Generation, ImmutableArray<ExportCondition> Conditions);

/// <summary>What the planner reads of the member's Service of the same name.</summary>
public sealed record ServiceObservation(string Type, string? ClusterIp, ImmutableArray<ServicePort> Ports, string SessionAffinity,
    ImmutableArray<string> IpFamilies);

/// <summary>Something Flotilla wrote in the member (a ServiceImport or a copied slice): its name, source and content hash.</summary>
public sealed record WrittenObject(string Name, string? SourceCluster, string? Hash);

/// <summary>
/// One member of the set as the hub's watch caches see it, for one service. <see cref="Observed"/> is false while the
/// caches of that member have not been listed yet (unreachable since the hub started): nothing is written there and
/// nothing it contributed elsewhere is removed on its account. <see cref="ForeignImport"/>: a ServiceImport of that
/// name exists there that Flotilla did not write (it is left alone, and no import is written over it).
/// </summary>
public sealed record MemberServiceView(
    string Cluster,
    bool Observed,
    bool NamespaceExists,
    string SliceApiVersion,
    ExportObservation? Export,
    ServiceObservation? Service,
    ImmutableArray<JsonObject> Slices,
    WrittenObject? Import,
    bool ForeignImport,
    ImmutableArray<WrittenObject> Copies);
