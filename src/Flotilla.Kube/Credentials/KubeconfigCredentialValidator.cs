using System.Text;
using Flotilla.Kube.KubeConfig;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Flotilla.Kube.Credentials;

/// <summary>
/// Checks a kubeconfig that someone hands to Flotilla (for a member cluster) against a
/// <see cref="CredentialPolicy"/> and reduces it to one self-contained context.
/// </summary>
/// <remarks>
/// Pure: it never runs a plugin or opens a connection, and it reads local files only through the
/// injected reader, only when <see cref="CredentialPolicy.AllowLocalFiles"/> is set. Validation
/// failures come back as <see cref="CredentialValidationResult.Problems"/>, all of them at once,
/// never as exceptions. Messages never contain secret material. See README.md in this folder.
/// </remarks>
public sealed class KubeconfigCredentialValidator
{
    /// <summary>Largest kubeconfig accepted, in characters: the size limit of a Kubernetes Secret.</summary>
    public const int MaxKubeconfigLength = 1024 * 1024;

    private static readonly HashSet<string> FalseWords = new(StringComparer.OrdinalIgnoreCase) { "false", "no", "n", "off" };

    private readonly Func<string, byte[]> _readLocalFile;

    /// <summary>A validator that refuses to read any file; enough for every policy without local files.</summary>
    public static KubeconfigCredentialValidator WithoutFiles { get; } =
        new(path => throw new IOException("this validator reads no local files"));

    /// <param name="readLocalFile">
    /// Reads a file named in the kubeconfig (as written there, possibly relative); called only when
    /// the policy allows local files. May throw <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/>, reported as <see cref="CredentialProblemKind.UnreadableLocalFile"/>.
    /// <see cref="CredentialFileReader.Create"/> gives a bounded reader for real files.
    /// </param>
    public KubeconfigCredentialValidator(Func<string, byte[]> readLocalFile)
    {
        ArgumentNullException.ThrowIfNull(readLocalFile);
        _readLocalFile = readLocalFile;
    }

    /// <summary>
    /// Validates <paramref name="kubeconfig"/> for <paramref name="contextName"/> (null: its current-context)
    /// under <paramref name="policy"/>. On success the result holds a kubeconfig with only that context,
    /// its cluster and its user, local files inlined as <c>*-data</c> (a <c>tokenFile</c> as <c>token</c>),
    /// and current-context set to it.
    /// </summary>
    public CredentialValidationResult Validate(string kubeconfig, string? contextName, CredentialPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(kubeconfig);
        ArgumentNullException.ThrowIfNull(policy);

        if (kubeconfig.Length > MaxKubeconfigLength)
        {
            return Refuse(CredentialProblemKind.InvalidKubeconfig, $"kubeconfig is larger than {MaxKubeconfigLength} characters");
        }

        try
        {
            var document = KubeconfigDocument.Parse(kubeconfig, allowAliases: false);
            return new Run(this, document, policy).Validate(contextName);
        }
        catch (KubeconfigFormatException e)
        {
            return Refuse(CredentialProblemKind.InvalidKubeconfig, $"kubeconfig is not usable: {e.Message}");
        }
    }

    private static CredentialValidationResult Refuse(CredentialProblemKind kind, string message) =>
        CredentialValidationResult.Refused([new CredentialProblem(kind, message)]);

    /// <summary>The state of one validation: the document, the policy and the problems found so far.</summary>
    private sealed class Run(KubeconfigCredentialValidator validator, KubeconfigDocument document, CredentialPolicy policy)
    {
        private readonly List<CredentialProblem> _problems = [];

        public CredentialValidationResult Validate(string? requestedContext)
        {
            var contextName = requestedContext ?? document.CurrentContext;
            if (string.IsNullOrEmpty(contextName))
            {
                return Refuse(CredentialProblemKind.MissingContext, "no context was given and the kubeconfig has no current-context");
            }

            var context = FindSingle(document.Contexts, contextName, "context", "the kubeconfig", CredentialProblemKind.MissingContext);
            if (context is null)
            {
                return CredentialValidationResult.Refused(_problems);
            }

            var subject = $"context {QuotedName.Of(contextName)}";
            var cluster = FindReferenced(context, "cluster", document.Clusters, subject, CredentialProblemKind.MissingCluster);
            var user = FindReferenced(context, "user", document.Users, subject, CredentialProblemKind.MissingUser);

            var server = cluster is null ? null : CheckCluster(cluster, $"{subject}, cluster {QuotedName.Of(cluster.Name)}");
            if (user is not null)
            {
                CheckUser(user, $"{subject}, user {QuotedName.Of(user.Name)}");
            }

            if (_problems.Count > 0 || server is null)
            {
                return CredentialValidationResult.Refused(_problems);
            }

            var reduced = new YamlMappingNode
            {
                { "apiVersion", "v1" },
                { "kind", "Config" },
                { KubeconfigDocument.ClustersKey, new YamlSequenceNode(cluster!.Item) },
                { KubeconfigDocument.ContextsKey, new YamlSequenceNode(context.Item) },
                { KubeconfigDocument.UsersKey, new YamlSequenceNode(user!.Item) },
                { KubeconfigDocument.CurrentContextKey, KubeconfigYaml.Scalar(contextName) },
            };
            return CredentialValidationResult.Accepted(contextName, server, KubeconfigYaml.Write(reduced));
        }

        private KubeconfigEntry? FindSingle(
            IReadOnlyList<KubeconfigEntry> entries, string name, string kind, string where, CredentialProblemKind missing)
        {
            var matches = entries.Where(entry => string.Equals(entry.Name, name, StringComparison.Ordinal)).ToList();
            switch (matches.Count)
            {
                case 0:
                    Add(missing, $"{where}: {kind} {QuotedName.Of(name)} is not defined");
                    return null;
                case 1:
                    return matches[0];
                default:
                    // Tools disagree on which duplicate wins; refusing keeps review and use in agreement.
                    Add(CredentialProblemKind.DuplicateName, $"{where}: {kind} {QuotedName.Of(name)} is defined {matches.Count} times");
                    return null;
            }
        }

        private KubeconfigEntry? FindReferenced(
            KubeconfigEntry context, string kind, IReadOnlyList<KubeconfigEntry> entries, string subject, CredentialProblemKind missing)
        {
            var name = context.Body is null ? null : KubeconfigYaml.GetString(context.Body, kind);
            if (string.IsNullOrEmpty(name))
            {
                Add(missing, $"{subject}: names no {kind}");
                return null;
            }

            return FindSingle(entries, name, kind, subject, missing);
        }

        /// <returns>The server URL when it is usable, otherwise null (and a problem is recorded).</returns>
        private string? CheckCluster(KubeconfigEntry cluster, string subject)
        {
            var body = cluster.Body ?? new YamlMappingNode();
            var server = KubeconfigYaml.GetString(body, "server");
            string? usableServer = null;
            if (string.IsNullOrEmpty(server))
            {
                Add(CredentialProblemKind.InvalidServer, $"{subject}: has no server URL");
            }
            else if (!Uri.TryCreate(server, UriKind.Absolute, out var uri)
                     || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                     || string.IsNullOrEmpty(uri.Host))
            {
                // The URL itself is not quoted: a malformed one may carry credentials.
                Add(CredentialProblemKind.InvalidServer, $"{subject}: server is not an absolute http(s) URL");
            }
            else if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                Add(CredentialProblemKind.InvalidServer, $"{subject}: server URL contains credentials; put them in the user instead");
            }
            else
            {
                usableServer = server;
            }

            if (IsInsecure(KubeconfigYaml.Get(body, "insecure-skip-tls-verify")) && !policy.AllowInsecureSkipTlsVerify)
            {
                Add(CredentialProblemKind.InsecureSkipTlsVerify,
                    $"{subject}: insecure-skip-tls-verify is set, so the server's certificate would not be checked",
                    "--allow-insecure");
            }

            if (KubeconfigYaml.HasValue(body, "proxy-url") && !policy.AllowProxyUrl)
            {
                Add(CredentialProblemKind.ProxyUrl, $"{subject}: proxy-url is set, so traffic would go through a proxy", "--allow-proxy");
            }

            InlineFile(body, "certificate-authority", "certificate-authority-data", subject, asToken: false);
            return usableServer;
        }

        private void CheckUser(KubeconfigEntry user, string subject)
        {
            if (user.Body is not { } body)
            {
                return;
            }

            if (!KubeconfigYaml.IsNull(KubeconfigYaml.Get(body, "exec")) && !policy.AllowExecPlugin)
            {
                Add(CredentialProblemKind.ExecPlugin,
                    $"{subject}: uses an exec credential plugin, which would run a local program", "--allow-exec");
            }

            if (!KubeconfigYaml.IsNull(KubeconfigYaml.Get(body, "auth-provider")) && !policy.AllowAuthProvider)
            {
                Add(CredentialProblemKind.AuthProvider,
                    $"{subject}: uses an auth-provider plugin, which can run local programs and rewrite tokens",
                    "--allow-auth-provider");
            }

            InlineFile(body, "client-certificate", "client-certificate-data", subject, asToken: false);
            InlineFile(body, "client-key", "client-key-data", subject, asToken: false);
            InlineFile(body, "tokenFile", "token", subject, asToken: true);
        }

        // Replaces a file reference with its content, or records why it cannot.
        private void InlineFile(YamlMappingNode body, string fileKey, string dataKey, string subject, bool asToken)
        {
            if (!KubeconfigYaml.HasValue(body, fileKey))
            {
                return;
            }

            var path = KubeconfigYaml.GetString(body, fileKey)!;
            if (!policy.AllowLocalFiles)
            {
                Add(CredentialProblemKind.LocalFile,
                    $"{subject}: {fileKey} refers to the local file {QuotedName.Of(path)}", "--allow-local-files");
                return;
            }

            if (KubeconfigYaml.HasValue(body, dataKey))
            {
                Add(CredentialProblemKind.ConflictingFields, $"{subject}: both {fileKey} and {dataKey} are set; keep one");
                return;
            }

            byte[] content;
            try
            {
                content = validator._readLocalFile(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Add(CredentialProblemKind.UnreadableLocalFile,
                    $"{subject}: cannot read the {fileKey} file {QuotedName.Of(path)}: {e.Message}");
                return;
            }

            // client-go trims whitespace around a token read from a file; the data fields are base64.
            var node = asToken
                ? new YamlScalarNode(Encoding.UTF8.GetString(content).Trim()) { Style = ScalarStyle.DoubleQuoted }
                : KubeconfigYaml.Scalar(Convert.ToBase64String(content));
            KubeconfigYaml.ReplaceKey(body, fileKey, dataKey, node);
        }

        // client-go reads YAML 1.1, where yes/on/y are true too; anything not clearly false counts as set.
        private static bool IsInsecure(YamlNode? value) =>
            !KubeconfigYaml.IsNull(value) && !(value is YamlScalarNode scalar && FalseWords.Contains(scalar.Value ?? string.Empty));

        private void Add(CredentialProblemKind kind, string finding, string? allowFlag = null) =>
            _problems.Add(new CredentialProblem(kind, finding, allowFlag));

        private CredentialValidationResult Refuse(CredentialProblemKind kind, string message)
        {
            Add(kind, message);
            return CredentialValidationResult.Refused(_problems);
        }
    }
}
