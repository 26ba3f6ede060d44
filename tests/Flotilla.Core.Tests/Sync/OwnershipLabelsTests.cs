using System.Text.RegularExpressions;
using Flotilla.Core.Sync;

namespace Flotilla.Core.Tests.Sync;

public sealed partial class OwnershipLabelsTests
{
    [Theory]
    [InlineData("shop", "web")]
    [InlineData("team-a", "a-name-that-makes-namespace-dot-name-exactly-63-chars-xx")]
    public void A_name_that_fits_a_label_value_is_used_as_it_is(string ns, string name)
    {
        Assert.True($"{ns}.{name}".Length <= 63);
        Assert.Equal($"{ns}.{name}", OwnershipLabels.ValueFor(ns, name));
    }

    [Theory]
    // 64 characters: one past the limit.
    [InlineData("team-a", "a-name-that-makes-namespace-dot-name-exactly-63-chars-xxy")]
    // The cut falls right after a '-' and after a '.': the value must still end alphanumeric.
    [InlineData("platform", "ingress-controller-shared-settings---every-team-in-the-company")]
    [InlineData("platform", "ingress-controller-shared-settings-x.every-team-in-the-company")]
    [InlineData("a-very-long-namespace-name-that-is-allowed-up-to-sixty-three-ch", "web")]
    public void A_longer_name_gives_a_valid_label_value_keeping_a_readable_prefix(string ns, string name)
    {
        var value = OwnershipLabels.ValueFor(ns, name);

        Assert.True($"{ns}.{name}".Length > 63);
        Assert.True(value.Length <= 63, $"{value} is {value.Length} characters");
        Assert.Matches(LabelValue(), value);
        Assert.StartsWith(ns[..Math.Min(ns.Length, 20)], value, StringComparison.Ordinal);
        Assert.Equal(value, OwnershipLabels.ValueFor(ns, name));
    }

    [Fact]
    public void Two_long_names_sharing_a_prefix_get_distinct_values()
    {
        const string shared = "ingress-controller-shared-settings-for-every-team-in-the-company";
        var first = OwnershipLabels.ValueFor("platform", shared + "-blue");
        var second = OwnershipLabels.ValueFor("platform", shared + "-green");

        Assert.NotEqual(first, second);
        // The readable prefixes are the same: only the hash tells them apart.
        Assert.Equal(first[..40], second[..40]);
    }

    [Fact]
    public void Namespace_and_name_are_not_confused_when_the_dot_moves()
    {
        // "a.b" + "c" and "a" + "b.c" print the same namespace.name; the hash is over namespace/name.
        var name = new string('x', 70);
        Assert.NotEqual(OwnershipLabels.ValueFor("team.a", name), OwnershipLabels.ValueFor("team", "a." + name));
    }

    // Kubernetes label value syntax (validation.IsValidLabelValue), without the empty value.
    [GeneratedRegex("^[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$")]
    private static partial Regex LabelValue();
}
