using k8s.Models;
using Flotilla.Kube.Simulation;

namespace Flotilla.Kube.Tests.Simulation;

public sealed class LoadBalancerStatusRulesTests
{
    private static V1Service Service(params V1LoadBalancerIngress[] ingress) => new()
    {
        Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "web", Uid = "u1", ResourceVersion = "42" },
        Spec = new V1ServiceSpec { Type = "LoadBalancer" },
        Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = ingress } },
    };

    [Fact]
    public void A_load_balancer_without_an_address_gets_a_stable_one_pinned_to_its_version()
    {
        var plan = LoadBalancerStatusRules.Plan(Service(), "member-1");
        var address = LoadBalancerStatusRules.AddressOf("member-1", "web", "shop");
        Assert.StartsWith("203.0.113.", address);
        Assert.Equal(address, LoadBalancerStatusRules.AddressOf("member-1", "web", "shop"));
        Assert.Equal("{\"metadata\":{\"resourceVersion\":\"42\"},\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"" + address + "\"}]}}}", plan.StatusPatch);
        Assert.Equal(WorkloadKind.LoadBalancerService, plan.Kind);
    }

    [Fact]
    public void An_address_someone_set_is_left_alone() =>
        Assert.True(LoadBalancerStatusRules.Plan(Service(new V1LoadBalancerIngress { Ip = "192.0.2.7" }), "member-1").IsCurrent);
}
