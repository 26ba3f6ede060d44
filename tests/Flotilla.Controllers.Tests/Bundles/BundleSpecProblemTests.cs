using Flotilla.Controllers.Bundles;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Tests.Bundles;

public sealed class BundleSpecProblemTests
{
    private static BundleResource Bundle(string? interval = null, string? timeout = null, bool createNamespace = false, string? target = null) => new()
    {
        Metadata = new() { Name = "shop", NamespaceProperty = "default" },
        Spec = new BundleSpec { TargetNamespace = target, Sync = new BundleSync { Interval = interval, Timeout = timeout, CreateNamespace = createNamespace } },
    };

    [Theory]
    [InlineData("5 minutes", null, "spec.sync.interval")]
    [InlineData("5m", "soon", "spec.sync.timeout")]
    [InlineData("0s", null, "spec.sync.interval")]
    [InlineData(null, "-1s", "spec.sync.timeout")]
    public void An_invalid_duration_stalls_the_bundle_naming_the_field(string? interval, string? timeout, string field)
    {
        var problem = BundleSpecProblem.Of(Bundle(interval, timeout));
        Assert.NotNull(problem);
        Assert.True(problem.Stalled);
        Assert.Equal("InvalidSpec", problem.Reason);
        Assert.StartsWith(field + ":", problem.Message);
    }

    [Fact]
    public void Valid_or_absent_durations_are_no_problem_and_createNamespace_needs_a_target()
    {
        Assert.Null(BundleSpecProblem.Of(Bundle("30s", "2m")));
        Assert.Null(BundleSpecProblem.Of(Bundle()));
        Assert.Contains("spec.targetNamespace", BundleSpecProblem.Of(Bundle(createNamespace: true))!.Message);
        Assert.Null(BundleSpecProblem.Of(Bundle(createNamespace: true, target: "apps")));
    }

    [Theory]
    [InlineData("crds", null, null)]
    [InlineData("crds", "platform", null)]
    [InlineData("Crds", null, "spec.dependsOn: \"Crds\" is not a Bundle name")]
    [InlineData("a/b", null, "spec.dependsOn: \"a/b\" is not a Bundle name")]
    [InlineData("crds", "team/x", "spec.dependsOn: \"team/x\" is not a namespace")]
    public void A_dependsOn_entry_must_name_a_bundle(string name, string? ns, string? problem)
    {
        var bundle = Bundle();
        bundle.Spec.DependsOn = [new BundleDependency { Name = "db" }, new BundleDependency { Name = name, Namespace = ns }];

        Assert.Equal(problem, BundleSpecProblem.Of(bundle)?.Message);
    }
}
