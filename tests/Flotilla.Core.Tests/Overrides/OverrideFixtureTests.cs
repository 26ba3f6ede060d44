using System.Text.Json.Nodes;
using Flotilla.Core.Overrides;

namespace Flotilla.Core.Tests.Overrides;

/// <summary>
/// Golden cases under <c>testdata/overrides/&lt;case&gt;/</c> (formats in that folder's README): every cluster of a case
/// gets exactly the objects, applied rules and errors its <c>expect/&lt;cluster&gt;.yaml</c> says.
/// </summary>
public sealed class OverrideFixtureTests
{
    public static TheoryData<string> Cases() => new(OverrideCase.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_cluster_gets_the_expected_objects_or_errors(string name)
    {
        var fixture = OverrideCase.Load(name);
        var prepared = fixture.Prepare();
        Assert.NotEmpty(fixture.Clusters);
        foreach (var cluster in fixture.Clusters)
        {
            var (header, objects) = fixture.Expected(cluster.Name);
            var result = prepared.Apply(cluster);
            var at = $"{name}, cluster {cluster.Name}";

            var applied = header.Single(h => h.Key == "applied").Value;
            Assert.True(applied == string.Join(", ", result.AppliedOverrides), $"{at}: applied \"{string.Join(", ", result.AppliedOverrides)}\", expected \"{applied}\"");
            var errors = header.Where(h => h.Key == "error").Select(h => h.Value).ToList();
            var actualErrors = result.Errors.Select(Render).ToList();
            Assert.True(errors.SequenceEqual(actualErrors), $"{at}: errors\n  {string.Join("\n  ", actualErrors)}\nexpected\n  {string.Join("\n  ", errors)}");
            if (errors.Count > 0)
            {
                Assert.Null(result.Manifests);
                Assert.Empty(objects);
                continue;
            }

            Assert.NotNull(result.Manifests);
            Assert.True(objects.Count == result.Manifests.Count, $"{at}: {result.Manifests.Count} objects, expected {objects.Count}");
            foreach (var expected in objects)
            {
                var manifest = result.Manifests.Manifests.SingleOrDefault(m => m.Ref.ToString() == RefOf(expected));
                Assert.True(manifest is not null, $"{at}: no {RefOf(expected)} in the result");
                Assert.True(JsonNode.DeepEquals(expected, manifest.Object), $"{at}: {manifest.Ref} is\n{manifest.Object}\nexpected\n{expected}");
            }
        }
    }

    /// <summary>
    /// The key is complete: clusters with equal keys get equal results even when each is computed on its own (a
    /// fresh preparation, so no cached result can make them equal).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Clusters_with_equal_keys_get_equal_results(string name)
    {
        var fixture = OverrideCase.Load(name);
        var keys = fixture.Prepare();
        foreach (var group in fixture.Clusters.GroupBy(keys.KeyFor).Where(g => g.Count() > 1))
        {
            var rendered = group.Select(c => Render(fixture.Prepare().Apply(c))).Distinct().ToList();
            Assert.True(rendered.Count == 1, $"{name}: clusters {string.Join(", ", group.Select(c => c.Name))} share key {group.Key} but differ");
        }
    }

    [Fact]
    public void Cases_cover_every_error_code_and_every_action()
    {
        var cases = OverrideCase.Names().Select(OverrideCase.Load).ToList();
        var errors = cases.SelectMany(c => c.Clusters.SelectMany(cl => c.Expected(cl.Name).Header)).Where(h => h.Key == "error").Select(h => h.Value).ToList();
        foreach (var code in Enum.GetValues<OverrideErrorCode>())
            Assert.Contains(errors, e => e.StartsWith($"{code} ", StringComparison.Ordinal));
        var actions = cases.SelectMany(c => c.Rules.SelectMany(r => r.Actions)).Select(a => a.GetType()).ToHashSet();
        foreach (var type in typeof(OverrideAction).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(OverrideAction))))
            Assert.Contains(type, actions);
    }

    /// <summary><c>Code rule=name object=Ref path=/pointer</c> (<c>rule=-</c> for a variable).</summary>
    private static string Render(OverrideError e) => $"{e.Code} rule={e.Rule ?? "-"} object={e.Object} path={e.Path}";

    private static string Render(OverrideResult result) =>
        result.Manifests is null
            ? string.Join("\n", result.Errors.Select(Render))
            : string.Join("\n---\n", result.Manifests.Manifests.Select(m => m.Object.ToJsonString())) + "\napplied: " + string.Join(",", result.AppliedOverrides);

    private static string RefOf(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]!.GetValue<string>();
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var kind = obj["kind"]!.GetValue<string>();
        var ns = obj["metadata"]?["namespace"]?.GetValue<string>() ?? "";
        var prefix = group.Length == 0 ? kind : $"{group}/{kind}";
        return ns.Length == 0 ? $"{prefix}/{obj["metadata"]!["name"]}" : $"{prefix}/{ns}/{obj["metadata"]!["name"]}";
    }
}
