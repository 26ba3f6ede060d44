using Flotilla.Kube.Api;
using Flotilla.Kube.LocalFleet;
using k8s.Models;

namespace Flotilla.Kube.Tests.LocalFleet;

public sealed class LocalFleetMarkerTests
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nMIIBfleet\n-----END CERTIFICATE-----\n";

    [Fact]
    public void The_fleet_id_is_a_stable_digest_of_the_fleets_own_ca()
    {
        var id = LocalFleetMarker.FleetId(Ca);

        Assert.Matches("^lf-[0-9a-f]{16}$", id);
        Assert.Equal(id, LocalFleetMarker.FleetId(Ca.TrimEnd()));
        Assert.NotEqual(id, LocalFleetMarker.FleetId(Ca.Replace("fleet", "other")));
    }

    public static TheoryData<string?, string?, string?> Verdicts() => new()
    {
        // annotation on the Cluster, id held by the member's API server, expected reason (null: simulate)
        { "lf-1", "lf-1", null },
        { null, "lf-1", "no flotilla.io/local-fleet annotation" },
        { " ", "lf-1", "no flotilla.io/local-fleet annotation" },
        { null, null, "no flotilla.io/local-fleet annotation" },
        { "lf-1", null, "holds no local fleet marker (kube-system/flotilla-local-fleet)" },
        { "lf-1", "lf-2", "belongs to local fleet lf-2, not lf-1" },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void Only_a_cluster_marked_on_both_sides_with_the_same_id_is_the_local_fleets(string? annotation, string? memberId, string? reason)
    {
        var cluster = new ClusterResource
        {
            Metadata = new V1ObjectMeta
            {
                Name = "member-1",
                Annotations = annotation is null ? null : new Dictionary<string, string> { [LocalFleetMarker.Annotation] = annotation },
            },
        };

        var verdict = LocalFleetMarker.WhyNot(cluster, memberId);

        if (reason is null) Assert.Null(verdict);
        else Assert.Contains(reason, verdict);
        Assert.Equal(annotation is null or " ", LocalFleetMarker.WhyNotMarked(cluster) is not null);
    }
}
