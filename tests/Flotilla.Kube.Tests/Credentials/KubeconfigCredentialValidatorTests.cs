using Flotilla.Kube.Credentials;
using YamlDotNet.RepresentationModel;

namespace Flotilla.Kube.Tests.Credentials;

public sealed class KubeconfigCredentialValidatorTests
{
    private static readonly KubeconfigCredentialValidator NoFiles =
        new(path => throw new InvalidOperationException($"the validator read {path} although local files are not allowed"));

    private static readonly CredentialPolicy AllowAll = new()
    {
        AllowExecPlugin = true,
        AllowAuthProvider = true,
        AllowLocalFiles = true,
        AllowInsecureSkipTlsVerify = true,
        AllowProxyUrl = true,
    };

    /// <summary>Each policy-gated feature: how to add it, what it is, its flag, who it names, and its allow flag.</summary>
    public static TheoryData<string, string, string, CredentialProblemKind, string, string> GatedFeatures => new()
    {
        { "exec", "", "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws\n  args: [eks, get-token]", CredentialProblemKind.ExecPlugin, "--allow-exec", "user \"prod-admin\"" },
        { "auth-provider", "", "auth-provider:\n  name: oidc\n  config:\n    client-id: flotilla", CredentialProblemKind.AuthProvider, "--allow-auth-provider", "user \"prod-admin\"" },
        { "certificate-authority", "certificate-authority: /etc/ca.crt", "", CredentialProblemKind.LocalFile, "--allow-local-files", "cluster \"prod-cluster\"" },
        { "client-certificate", "", "client-certificate: /home/me/client.crt", CredentialProblemKind.LocalFile, "--allow-local-files", "user \"prod-admin\"" },
        { "client-key", "", "client-key: /home/me/client.key", CredentialProblemKind.LocalFile, "--allow-local-files", "user \"prod-admin\"" },
        { "tokenFile", "", "tokenFile: /var/run/token", CredentialProblemKind.LocalFile, "--allow-local-files", "user \"prod-admin\"" },
        { "insecure true", "insecure-skip-tls-verify: true", "", CredentialProblemKind.InsecureSkipTlsVerify, "--allow-insecure", "cluster \"prod-cluster\"" },
        { "insecure yes (YAML 1.1)", "insecure-skip-tls-verify: yes", "", CredentialProblemKind.InsecureSkipTlsVerify, "--allow-insecure", "cluster \"prod-cluster\"" },
        { "proxy-url", "proxy-url: http://proxy.internal:3128", "", CredentialProblemKind.ProxyUrl, "--allow-proxy", "cluster \"prod-cluster\"" },
    };

    [Theory]
    [MemberData(nameof(GatedFeatures))]
    public void Strict_policy_refuses_each_gated_feature_with_one_message_naming_context_subject_and_flag(
        string feature, string clusterLines, string userLines, CredentialProblemKind kind, string flag, string subject)
    {
        var kubeconfig = new CredentialKubeconfigBuilder().WithCluster(clusterLines).WithUser(userLines).Build();

        var result = NoFiles.Validate(kubeconfig, "prod", CredentialPolicy.Strict);

        Assert.False(result.IsValid, feature);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(kind, problem.Kind);
        Assert.Equal(flag, problem.AllowFlag);
        Assert.Contains("context \"prod\"", problem.Message, StringComparison.Ordinal);
        Assert.Contains(subject, problem.Message, StringComparison.Ordinal);
        Assert.EndsWith($"pass {flag} to allow it", problem.Message, StringComparison.Ordinal);
        Assert.Null(result.Kubeconfig);
    }

    [Theory]
    [MemberData(nameof(GatedFeatures))]
    public void Every_other_flag_does_not_allow_a_feature(
        string feature, string clusterLines, string userLines, CredentialProblemKind kind, string flag, string subject)
    {
        var kubeconfig = new CredentialKubeconfigBuilder().WithCluster(clusterLines).WithUser(userLines).Build();
        var allButOne = flag switch
        {
            "--allow-exec" => AllowAll with { AllowExecPlugin = false },
            "--allow-auth-provider" => AllowAll with { AllowAuthProvider = false },
            "--allow-local-files" => AllowAll with { AllowLocalFiles = false },
            "--allow-insecure" => AllowAll with { AllowInsecureSkipTlsVerify = false },
            "--allow-proxy" => AllowAll with { AllowProxyUrl = false },
            _ => throw new ArgumentOutOfRangeException(nameof(flag), flag, null),
        };

        var result = NoFiles.Validate(kubeconfig, "prod", allButOne);

        Assert.Equal(kind, Assert.Single(result.Problems).Kind);
        Assert.Contains(subject, result.Problems[0].Message, StringComparison.Ordinal);
        Assert.False(result.IsValid, feature);
    }

    public static TheoryData<string, string, string, CredentialPolicy, string> AllowedFeatures => new()
    {
        { "exec", "", "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws", new CredentialPolicy { AllowExecPlugin = true }, "command: aws" },
        { "auth-provider", "", "auth-provider:\n  name: oidc", new CredentialPolicy { AllowAuthProvider = true }, "name: oidc" },
        { "insecure", "insecure-skip-tls-verify: true", "", new CredentialPolicy { AllowInsecureSkipTlsVerify = true }, "insecure-skip-tls-verify: true" },
        { "proxy-url", "proxy-url: http://proxy.internal:3128", "", new CredentialPolicy { AllowProxyUrl = true }, "proxy-url: http://proxy.internal:3128" },
        { "local file", "", "client-key: /home/me/client.key", new CredentialPolicy { AllowLocalFiles = true }, "client-key-data: a2V5LWJ5dGVz" },
    };

    [Theory]
    [MemberData(nameof(AllowedFeatures))]
    public void Each_allow_flag_accepts_its_feature_and_keeps_it_in_the_output(
        string feature, string clusterLines, string userLines, CredentialPolicy policy, string expectedLine)
    {
        var validator = new KubeconfigCredentialValidator(_ => "key-bytes"u8.ToArray());
        var kubeconfig = new CredentialKubeconfigBuilder().WithCluster(clusterLines).WithUser(userLines).Build();

        var result = validator.Validate(kubeconfig, "prod", policy);

        Assert.True(result.IsValid, $"{feature}: {string.Join("; ", result.Problems)}");
        Assert.Contains(expectedLine, result.Kubeconfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Insecure_skip_tls_verify_false_is_not_a_problem()
    {
        var kubeconfig = new CredentialKubeconfigBuilder().WithCluster("insecure-skip-tls-verify: false").Build();

        Assert.True(NoFiles.Validate(kubeconfig, "prod", CredentialPolicy.Strict).IsValid);
    }

    public static TheoryData<string, string, string?, CredentialProblemKind, string> Refusals => new()
    {
        { "no context and no current-context", new CredentialKubeconfigBuilder().WithoutCurrentContext().Build(), null, CredentialProblemKind.MissingContext, "no current-context" },
        { "unknown context", new CredentialKubeconfigBuilder().Build(), "staging", CredentialProblemKind.MissingContext, "context \"staging\" is not defined" },
        { "unknown cluster", new CredentialKubeconfigBuilder().Build().Replace("cluster: prod-cluster", "cluster: gone"), "prod", CredentialProblemKind.MissingCluster, "context \"prod\": cluster \"gone\" is not defined" },
        { "unknown user", new CredentialKubeconfigBuilder().Build().Replace("user: prod-admin", "user: gone"), "prod", CredentialProblemKind.MissingUser, "context \"prod\": user \"gone\" is not defined" },
        { "context names no user", new CredentialKubeconfigBuilder().Build().Replace("    user: prod-admin\n", ""), "prod", CredentialProblemKind.MissingUser, "context \"prod\": names no user" },
        { "context names no cluster", new CredentialKubeconfigBuilder().Build().Replace("    cluster: prod-cluster\n", ""), "prod", CredentialProblemKind.MissingCluster, "context \"prod\": names no cluster" },
        { "duplicate context", new CredentialKubeconfigBuilder().Build().Replace("contexts:\n", "contexts:\n- name: prod\n  context: {cluster: x, user: y}\n"), "prod", CredentialProblemKind.DuplicateName, "context \"prod\" is defined 2 times" },
        { "no server", new CredentialKubeconfigBuilder().Build().Replace("    server: https://prod.example.com:6443\n", ""), "prod", CredentialProblemKind.InvalidServer, "cluster \"prod-cluster\": has no server URL" },
        { "relative server", new CredentialKubeconfigBuilder().Build().Replace("https://prod.example.com:6443", "prod.example.com"), "prod", CredentialProblemKind.InvalidServer, "not an absolute http(s) URL" },
        { "invalid YAML", "clusters: [\n", null, CredentialProblemKind.InvalidKubeconfig, "invalid YAML (line" },
        { "two documents", "kind: Config\n---\nkind: Config\n", null, CredentialProblemKind.InvalidKubeconfig, "more than one YAML document" },
        { "aliases", new CredentialKubeconfigBuilder().Build().Replace("  user:\n", "  user: &u\n") + "extra: *u\n", "prod", CredentialProblemKind.InvalidKubeconfig, "aliases" },
        { "top level is a list", "- a\n- b\n", null, CredentialProblemKind.InvalidKubeconfig, "top level is not a mapping" },
        { "clusters is a mapping", "clusters: {a: b}\n", "x", CredentialProblemKind.InvalidKubeconfig, "\"clusters\" is not a list" },
        { "deep nesting", "a: " + new string('[', 100) + new string(']', 100) + "\n", null, CredentialProblemKind.InvalidKubeconfig, "nesting deeper than 64" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refuses_unusable_kubeconfigs_with_a_clear_problem(
        string description, string kubeconfig, string? context, CredentialProblemKind kind, string messagePart)
    {
        var result = NoFiles.Validate(kubeconfig, context, CredentialPolicy.Strict);

        Assert.False(result.IsValid, description);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(kind, problem.Kind);
        Assert.Contains(messagePart, problem.Message, StringComparison.Ordinal);
        Assert.Null(problem.AllowFlag);
    }

    [Fact]
    public void Refuses_oversized_kubeconfig_without_parsing_it()
    {
        var huge = "a: " + new string('x', KubeconfigCredentialValidator.MaxKubeconfigLength) + "\n";

        var result = NoFiles.Validate(huge, null, AllowAll);

        Assert.Equal(CredentialProblemKind.InvalidKubeconfig, Assert.Single(result.Problems).Kind);
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var kubeconfig = new CredentialKubeconfigBuilder()
            .WithCluster("insecure-skip-tls-verify: true\nproxy-url: http://proxy:3128\ncertificate-authority: ca.crt")
            .WithUser("exec:\n  command: x\nauth-provider:\n  name: gcp\nclient-key: k.pem")
            .Build();

        var result = NoFiles.Validate(kubeconfig, null, CredentialPolicy.Strict);

        Assert.Equal(
            [
                CredentialProblemKind.InsecureSkipTlsVerify, CredentialProblemKind.ProxyUrl, CredentialProblemKind.LocalFile,
                CredentialProblemKind.ExecPlugin, CredentialProblemKind.AuthProvider, CredentialProblemKind.LocalFile,
            ],
            result.Problems.Select(problem => problem.Kind));
    }

    [Fact]
    public void Reduces_to_one_context_with_current_context_set_and_entry_fields_kept()
    {
        const string kubeconfig = """
            # comments are dropped
            apiVersion: v1
            kind: Config
            preferences: {colors: true}
            clusters:
            - name: dev-cluster
              cluster:
                server: https://dev.example.com
            - name: prod-cluster
              cluster:
                server: https://prod.example.com:6443
                certificate-authority-data: Q0EtREFUQQ==
                tls-server-name: api.prod
                extensions:
                - name: flotilla.io/region
                  extension: eu-west
            contexts:
            - name: dev
              context: {cluster: dev-cluster, user: dev-user}
            - name: prod
              context:
                cluster: prod-cluster
                user: prod-admin
                namespace: shop
            users:
            - name: dev-user
              user: {token: dev-token}
            - name: prod-admin
              user:
                token: prod-token
            current-context: dev
            """;

        var result = NoFiles.Validate(kubeconfig, "prod", CredentialPolicy.Strict);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal("prod", result.ContextName);
        Assert.Equal("https://prod.example.com:6443", result.ServerUrl);
        Assert.Equal(
            """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod-cluster
              cluster:
                server: https://prod.example.com:6443
                certificate-authority-data: Q0EtREFUQQ==
                tls-server-name: api.prod
                extensions:
                - name: flotilla.io/region
                  extension: eu-west
            contexts:
            - name: prod
              context:
                cluster: prod-cluster
                user: prod-admin
                namespace: shop
            users:
            - name: prod-admin
              user:
                token: prod-token
            current-context: prod

            """,
            result.Kubeconfig);
    }

    [Fact]
    public void Uses_current_context_when_none_is_named()
    {
        var result = NoFiles.Validate(new CredentialKubeconfigBuilder().Build(), null, CredentialPolicy.Strict);

        Assert.True(result.IsValid);
        Assert.Equal("prod", result.ContextName);
        Assert.Contains("current-context: prod", result.Kubeconfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Inlines_allowed_local_files_as_data_fields_and_a_token_file_as_token()
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["/etc/ca.crt"] = "CA-PEM"u8.ToArray(),
            ["certs/client.crt"] = "CERT-PEM"u8.ToArray(),
            ["certs/client.key"] = "KEY-PEM"u8.ToArray(),
            ["/var/run/token"] = "file-token-value\n"u8.ToArray(),
        };
        var validator = new KubeconfigCredentialValidator(path => files[path]);
        var kubeconfig = new CredentialKubeconfigBuilder()
            .WithClusterReplaced("server: https://prod.example.com\ncertificate-authority: /etc/ca.crt")
            .WithUserReplaced("client-certificate: certs/client.crt\nclient-key: certs/client.key\ntokenFile: /var/run/token")
            .Build();

        var result = validator.Validate(kubeconfig, "prod", new CredentialPolicy { AllowLocalFiles = true });

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var stream = new YamlStream();
        stream.Load(new StringReader(result.Kubeconfig!));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var cluster = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)root["clusters"])[0])["cluster"];
        var user = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)root["users"])[0])["user"];
        Assert.Equal(Convert.ToBase64String("CA-PEM"u8), ((YamlScalarNode)cluster["certificate-authority-data"]).Value);
        Assert.Equal(Convert.ToBase64String("CERT-PEM"u8), ((YamlScalarNode)user["client-certificate-data"]).Value);
        Assert.Equal(Convert.ToBase64String("KEY-PEM"u8), ((YamlScalarNode)user["client-key-data"]).Value);
        Assert.Equal("file-token-value", ((YamlScalarNode)user["token"]).Value);
        Assert.Equal(
            ["client-certificate-data", "client-key-data", "token"],
            user.Children.Keys.Select(key => ((YamlScalarNode)key).Value));
        Assert.DoesNotContain("certificate-authority:", result.Kubeconfig, StringComparison.Ordinal);
        Assert.DoesNotContain("tokenFile", result.Kubeconfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_reads_a_local_file_when_local_files_are_not_allowed()
    {
        var reads = new List<string>();
        var validator = new KubeconfigCredentialValidator(path =>
        {
            reads.Add(path);
            return [];
        });
        var kubeconfig = new CredentialKubeconfigBuilder().WithUser("client-key: /home/me/client.key").Build();

        var result = validator.Validate(kubeconfig, "prod", AllowAll with { AllowLocalFiles = false });

        Assert.Equal(CredentialProblemKind.LocalFile, Assert.Single(result.Problems).Kind);
        Assert.Empty(reads);
    }

    [Fact]
    public void Reports_an_unreadable_allowed_file()
    {
        var validator = new KubeconfigCredentialValidator(path => throw new FileNotFoundException("not found", path));
        var kubeconfig = new CredentialKubeconfigBuilder().WithUser("client-key: /gone/client.key").Build();

        var result = validator.Validate(kubeconfig, "prod", new CredentialPolicy { AllowLocalFiles = true });

        var problem = Assert.Single(result.Problems);
        Assert.Equal(CredentialProblemKind.UnreadableLocalFile, problem.Kind);
        Assert.Contains("user \"prod-admin\": cannot read the client-key file \"/gone/client.key\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_file_reference_next_to_its_inline_data()
    {
        var validator = new KubeconfigCredentialValidator(_ => "CA"u8.ToArray());
        var kubeconfig = new CredentialKubeconfigBuilder().WithCluster("certificate-authority: /etc/ca.crt").Build();

        var result = validator.Validate(kubeconfig, "prod", new CredentialPolicy { AllowLocalFiles = true });

        Assert.Equal(CredentialProblemKind.ConflictingFields, Assert.Single(result.Problems).Kind);
    }

    [Fact]
    public void No_secret_appears_in_any_message_or_in_the_results_text()
    {
        string[] secrets =
        [
            CredentialKubeconfigBuilder.Token, "S3CRET-KEY-DATA", "hunter2-password", "exec-arg-secret", "exec-env-secret",
            "oidc-refresh-secret", "oidc-id-token-secret", "proxy-password", "server-password",
        ];
        var kubeconfig = new CredentialKubeconfigBuilder()
            .WithClusterReplaced(
                "server: https://admin:server-password@prod.example.com\n" +
                "insecure-skip-tls-verify: true\nproxy-url: http://user:proxy-password@proxy:3128\ncertificate-authority: /etc/ca.crt")
            .WithUser(
                "client-key-data: S3CRET-KEY-DATA\nclient-key: /home/me/client.key\nusername: admin\npassword: hunter2-password\n" +
                "exec:\n  command: get-token\n  args: [--secret, exec-arg-secret]\n  env:\n  - name: TOKEN\n    value: exec-env-secret\n" +
                "auth-provider:\n  name: oidc\n  config:\n    refresh-token: oidc-refresh-secret\n    id-token: oidc-id-token-secret")
            .Build();

        var strict = NoFiles.Validate(kubeconfig, "prod", CredentialPolicy.Strict);
        var lenient = new KubeconfigCredentialValidator(_ => throw new IOException("denied"))
            .Validate(kubeconfig, "prod", AllowAll);

        Assert.True(strict.Problems.Length >= 6, string.Join("\n", strict.Problems));
        Assert.Contains(lenient.Problems, problem => problem.Kind == CredentialProblemKind.ConflictingFields);
        var texts = strict.Problems.Concat(lenient.Problems).Select(problem => problem.Message)
            .Append(strict.ToString()).Append(lenient.ToString());
        foreach (var text in texts)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void An_accepted_results_text_hides_the_kubeconfig()
    {
        var result = NoFiles.Validate(new CredentialKubeconfigBuilder().Build(), "prod", CredentialPolicy.Strict);

        Assert.True(result.IsValid);
        Assert.Contains(CredentialKubeconfigBuilder.Token, result.Kubeconfig, StringComparison.Ordinal);
        Assert.DoesNotContain(CredentialKubeconfigBuilder.Token, result.ToString(), StringComparison.Ordinal);
        Assert.Contains("<redacted>", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Names_with_control_characters_are_escaped_in_messages()
    {
        var kubeconfig = new CredentialKubeconfigBuilder().Build();

        var result = NoFiles.Validate(kubeconfig, "evil\nINFO forged line", CredentialPolicy.Strict);

        var message = Assert.Single(result.Problems).Message;
        Assert.DoesNotContain('\n', message);
        Assert.Contains("\"evil\\nINFO forged line\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_compare_by_value()
    {
        var kubeconfig = new CredentialKubeconfigBuilder().WithUser("exec:\n  command: x").Build();

        Assert.Equal(
            NoFiles.Validate(kubeconfig, "prod", CredentialPolicy.Strict),
            NoFiles.Validate(kubeconfig, "prod", CredentialPolicy.Strict));
        Assert.Equal(
            NoFiles.Validate(new CredentialKubeconfigBuilder().Build(), "prod", CredentialPolicy.Strict),
            NoFiles.Validate(new CredentialKubeconfigBuilder().Build(), "prod", CredentialPolicy.Strict));
    }

    [Fact]
    public void The_file_reader_resolves_relative_paths_and_refuses_oversized_files()
    {
        var directory = Directory.CreateTempSubdirectory("flotilla-credentials-");
        try
        {
            File.WriteAllBytes(Path.Combine(directory.FullName, "ca.crt"), "CA"u8.ToArray());
            File.WriteAllBytes(Path.Combine(directory.FullName, "big"), new byte[65]);
            var read = CredentialFileReader.Create(directory.FullName, maxBytes: 64);

            Assert.Equal("CA"u8.ToArray(), read("ca.crt"));
            Assert.Throws<IOException>(() => read("big"));
            Assert.Throws<FileNotFoundException>(() => read("missing"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
