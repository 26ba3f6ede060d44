using Flotilla.Core.Health;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Health;

/// <summary>
/// Golden cases under <c>testdata/health/&lt;case&gt;.yaml</c>. Each file starts with
/// <c># expect: &lt;HealthStatus&gt;</c> and optionally <c># message: &lt;substring&gt;</c>, then the live object.
/// </summary>
public sealed class HealthFixtureTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "testdata", "health");

    public static TheoryData<string> Cases() => new(CaseNames());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_has_the_expected_health(string fixture)
    {
        var text = File.ReadAllText(Path.Combine(FixtureDirectory, fixture + ".yaml"));
        var (expected, messagePart) = ReadExpectation(text);

        var result = HealthAssessor.Assess(YamlFixture.LoadObject(text));

        Assert.True(expected == result.Status, $"{fixture}: expected {expected}, got {result}");
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, result.Message);
        }
    }

    [Fact]
    public void Fixtures_cover_every_kind_and_every_reachable_status()
    {
        var cases = CaseNames();
        Assert.True(cases.Length >= 60, $"only {cases.Length} fixtures found in {FixtureDirectory}");

        foreach (var prefix in new[] { "deployment-", "statefulset-", "daemonset-", "replicaset-", "pod-", "job-", "pvc-", "service-", "crd-", "namespace-", "custom-" })
        {
            Assert.Contains(cases, c => c.StartsWith(prefix, StringComparison.Ordinal));
        }

        var statuses = cases
            .Select(c => ReadExpectation(File.ReadAllText(Path.Combine(FixtureDirectory, c + ".yaml"))).Status)
            .ToHashSet();
        Assert.Equal(
            [HealthStatus.Healthy, HealthStatus.Progressing, HealthStatus.Degraded, HealthStatus.Unknown],
            statuses.Order());
    }

    private static string[] CaseNames() =>
        Directory.GetFiles(FixtureDirectory, "*.yaml")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static (HealthStatus Status, string? Message) ReadExpectation(string text)
    {
        HealthStatus? status = null;
        string? message = null;
        foreach (var line in text.Split('\n').TakeWhile(l => l.StartsWith('#')))
        {
            if (line.StartsWith("# expect:", StringComparison.Ordinal))
            {
                status = Enum.Parse<HealthStatus>(line["# expect:".Length..].Trim());
            }
            else if (line.StartsWith("# message:", StringComparison.Ordinal))
            {
                message = line["# message:".Length..].Trim();
            }
        }

        return (status ?? throw new InvalidOperationException("fixture has no '# expect:' line"), message);
    }
}
