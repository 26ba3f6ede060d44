namespace Flotilla.Kube.Tests.Credentials;

/// <summary>
/// A kubeconfig with context "prod" → cluster "prod-cluster" and user "prod-admin", into which a test
/// adds lines to the cluster or user body (written without indentation).
/// </summary>
internal sealed class CredentialKubeconfigBuilder
{
    public const string Token = "tok-3f9a1c77e0";

    private string _clusterLines = "server: https://prod.example.com:6443\ncertificate-authority-data: Q0EtREFUQQ==\n";
    private string _userLines = $"token: {Token}\n";
    private string? _currentContext = "prod";

    public CredentialKubeconfigBuilder WithCluster(string lines)
    {
        _clusterLines += lines.EndsWith('\n') ? lines : lines + "\n";
        return this;
    }

    public CredentialKubeconfigBuilder WithUser(string lines)
    {
        _userLines += lines.EndsWith('\n') ? lines : lines + "\n";
        return this;
    }

    public CredentialKubeconfigBuilder WithUserReplaced(string lines)
    {
        _userLines = lines.EndsWith('\n') ? lines : lines + "\n";
        return this;
    }

    public CredentialKubeconfigBuilder WithClusterReplaced(string lines)
    {
        _clusterLines = lines.EndsWith('\n') ? lines : lines + "\n";
        return this;
    }

    public CredentialKubeconfigBuilder WithoutCurrentContext()
    {
        _currentContext = null;
        return this;
    }

    public string Build() =>
        $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: prod-cluster
          cluster:
        {Indent(_clusterLines, 4)}
        contexts:
        - name: prod
          context:
            cluster: prod-cluster
            user: prod-admin
        users:
        - name: prod-admin
          user:
        {Indent(_userLines, 4)}
        {(_currentContext is null ? string.Empty : $"current-context: {_currentContext}")}

        """;

    private static string Indent(string lines, int spaces) =>
        string.Join("\n", lines.TrimEnd('\n').Split('\n').Select(line => new string(' ', spaces) + line));
}
