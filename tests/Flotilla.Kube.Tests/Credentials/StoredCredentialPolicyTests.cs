using Flotilla.Kube.Credentials;

namespace Flotilla.Kube.Tests.Credentials;

public sealed class StoredCredentialPolicyTests
{
    /// <summary>Each allowance, the kubeconfig lines that need it (cluster, user), and its flag.</summary>
    public static TheoryData<CredentialAllowance, string, string, string> Needs => new()
    {
        { CredentialAllowance.Exec, "", "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: /usr/local/bin/get-token\n  args: [--secret-arg, s3cr3t-arg]", "--allow-exec" },
        { CredentialAllowance.AuthProvider, "", "auth-provider:\n  name: oidc\n  config:\n    id-token: s3cr3t-id-token", "--allow-auth-provider" },
        { CredentialAllowance.Insecure, "insecure-skip-tls-verify: true", "", "--allow-insecure" },
        { CredentialAllowance.Proxy, "proxy-url: http://user:s3cr3t-pw@proxy.internal:3128", "", "--allow-proxy" },
    };

    private static string Kubeconfig(string clusterLines, string userLines) =>
        new CredentialKubeconfigBuilder().WithCluster(clusterLines).WithUser(userLines).Build();

    [Theory]
    [MemberData(nameof(Needs))]
    public void Accepted_only_when_both_the_hub_and_the_join_allow_it(CredentialAllowance allowance, string clusterLines, string userLines, string flag)
    {
        var kubeconfig = Kubeconfig(clusterLines, userLines);
        var hubAllows = new StoredCredentialPolicy([allowance], "flotilla hub run");
        var hubRefuses = new StoredCredentialPolicy(Enum.GetValues<CredentialAllowance>().Where(a => a != allowance), "flotilla hub run");
        var everyOtherJoin = Enum.GetValues<CredentialAllowance>().Where(a => a != allowance).ToList();

        Assert.True(hubAllows.Validate(kubeconfig, "eks-1", [allowance]).IsValid);

        var hubMissing = Assert.Single(hubRefuses.Validate(kubeconfig, "eks-1", [allowance]).Problems).Message;
        Assert.Contains($"{flag} is missing on the hub", hubMissing, StringComparison.Ordinal);
        Assert.Contains($"`flotilla hub run {flag}`", hubMissing, StringComparison.Ordinal);

        var joinMissing = Assert.Single(hubAllows.Validate(kubeconfig, "eks-1", everyOtherJoin).Problems).Message;
        Assert.Contains($"{flag} is missing on the join", joinMissing, StringComparison.Ordinal);
        Assert.Contains($"`flotilla cluster join eks-1 {flag}`", joinMissing, StringComparison.Ordinal);

        var bothMissing = Assert.Single(StoredCredentialPolicy.StrictHub.Validate(kubeconfig, "eks-1", []).Problems).Message;
        Assert.Contains($"{flag} is missing on both the hub and the join", bothMissing, StringComparison.Ordinal);

        foreach (var message in new[] { hubMissing, joinMissing, bothMissing })
        {
            Assert.Contains("context \"prod\"", message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", message, StringComparison.Ordinal);
            Assert.DoesNotContain(CredentialKubeconfigBuilder.Token, message, StringComparison.Ordinal);
            Assert.DoesNotContain("pass --allow", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_accepted_kubeconfig_keeps_what_both_sides_allowed()
    {
        var kubeconfig = Kubeconfig("proxy-url: http://proxy.internal:3128", "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws");
        var policy = new StoredCredentialPolicy([CredentialAllowance.Exec, CredentialAllowance.Proxy], "flotilla hub run");

        var result = policy.Validate(kubeconfig, "eks-1", [CredentialAllowance.Proxy, CredentialAllowance.Exec]);

        Assert.True(result.IsValid);
        Assert.Contains("command: aws", result.Kubeconfig, StringComparison.Ordinal);
        Assert.Contains("proxy-url: http://proxy.internal:3128", result.Kubeconfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_needs_with_one_missing_on_each_side_name_each_missing_flag()
    {
        var kubeconfig = Kubeconfig("insecure-skip-tls-verify: true", "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws");
        var policy = new StoredCredentialPolicy([CredentialAllowance.Exec], "flotilla hub run");

        var problems = policy.Validate(kubeconfig, "eks-1", [CredentialAllowance.Insecure]).Problems;

        Assert.Equal(2, problems.Length);
        Assert.Contains(problems, p => p.Message.Contains("--allow-insecure is missing on the hub", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("--allow-exec is missing on the join", StringComparison.Ordinal));
    }

    [Fact]
    public void Local_files_stay_refused_whatever_both_sides_allow()
    {
        var kubeconfig = Kubeconfig("", "client-key: /home/me/client.key");
        var everything = Enum.GetValues<CredentialAllowance>();

        var problem = Assert.Single(new StoredCredentialPolicy(everything, "flotilla hub run").Validate(kubeconfig, "eks-1", everything).Problems);

        Assert.Equal(CredentialProblemKind.LocalFile, problem.Kind);
        Assert.Contains("stored credentials hold inline data only", problem.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-local-files", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_no_flag_can_fix_keep_the_validators_words()
    {
        var kubeconfig = new CredentialKubeconfigBuilder().WithClusterReplaced("certificate-authority-data: Q0E=").Build();

        var problem = Assert.Single(StoredCredentialPolicy.StrictHub.Validate(kubeconfig, "eks-1", []).Problems);

        Assert.Equal(CredentialProblemKind.InvalidServer, problem.Kind);
        Assert.Equal(KubeconfigCredentialValidator.WithoutFiles.Validate(kubeconfig, null, CredentialPolicy.Strict).Problems[0], problem);
    }

    [Fact]
    public void UsedBy_records_only_what_the_credentials_use()
    {
        Assert.Empty(CredentialAllowances.UsedBy(new CredentialKubeconfigBuilder().Build()));
        Assert.Equal([CredentialAllowance.Exec, CredentialAllowance.Proxy], CredentialAllowances.UsedBy(Kubeconfig(
            "proxy-url: http://proxy.internal:3128", "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws")));
    }

    [Fact]
    public void Parse_takes_exact_names_and_returns_the_rest_apart()
    {
        var (known, unknown) = CredentialAllowances.Parse(["Proxy", "exec", "Exec", "1", "LocalFiles"]);

        Assert.Equal([CredentialAllowance.Exec, CredentialAllowance.Proxy], known);
        Assert.Equal(["exec", "1", "LocalFiles"], unknown.ToArray());
        Assert.Equal(["Exec", "Proxy"], CredentialAllowances.ToWire([CredentialAllowance.Proxy, CredentialAllowance.Exec, CredentialAllowance.Proxy]));
    }

    [Theory]
    [MemberData(nameof(Needs))]
    public void Each_allowance_matches_the_validators_flag_for_its_problem(CredentialAllowance allowance, string clusterLines, string userLines, string flag)
    {
        var problem = Assert.Single(KubeconfigCredentialValidator.WithoutFiles.Validate(Kubeconfig(clusterLines, userLines), null, CredentialPolicy.Strict).Problems);

        Assert.Equal(allowance, CredentialAllowances.For(problem.Kind));
        Assert.Equal(flag, problem.AllowFlag);
        Assert.Equal(flag, CredentialAllowances.Flag(allowance));
    }
}
