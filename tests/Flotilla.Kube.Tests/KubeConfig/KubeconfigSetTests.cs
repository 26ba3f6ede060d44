using System.Runtime.Versioning;
using Flotilla.Kube.KubeConfig;
using YamlDotNet.RepresentationModel;

namespace Flotilla.Kube.Tests.KubeConfig;

public sealed class KubeconfigSetTests : IDisposable
{
    private const string First = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c1
          cluster:
            server: https://one.example.com
        contexts:
        - name: alpha
          context:
            cluster: c1
            user: u1
        - name: shared
          context:
            cluster: c1
            user: u1
            namespace: from-first
        users:
        - name: u1
          user:
            token: t1

        """;

    private const string Second = """
        apiVersion: v1
        kind: Config
        contexts:
        - name: beta
          context:
            cluster: c2
            user: u2
        - name: shared
          context:
            cluster: c2
            user: u2
            namespace: from-second
        current-context: beta

        """;

    private readonly KubeconfigTestDirectory _dir = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Paths_come_from_KUBECONFIG_or_default_to_the_home_config()
    {
        Assert.Equal([Path.Combine("/home/me", ".kube", "config")], KubeconfigPaths.Resolve(null, "/home/me"));
        Assert.Equal([Path.Combine("/home/me", ".kube", "config")], KubeconfigPaths.Resolve("", "/home/me"));
        Assert.Equal(["/a", "/b"], KubeconfigPaths.Resolve("/a::/b:/a", "/home/me"));
    }

    [Fact]
    public async Task Merges_like_kubectl_first_current_context_and_first_definition_win_missing_files_skipped()
    {
        _dir.Write("first", First);
        _dir.Write("second", Second);

        var set = await _dir.LoadAsync("missing", "first", "second");

        Assert.Equal("beta", set.CurrentContext);
        Assert.Equal([_dir.PathOf("first"), _dir.PathOf("second")], set.LoadedPaths);
        Assert.Equal(
            [
                new KubeconfigContext("alpha", false, null, _dir.PathOf("first")),
                new KubeconfigContext("beta", true, null, _dir.PathOf("second")),
                new KubeconfigContext("shared", false, "from-first", _dir.PathOf("first")),
            ],
            set.Contexts);
    }

    [Fact]
    public async Task The_first_file_that_sets_current_context_wins()
    {
        _dir.Write("first", First + "current-context: alpha\n");
        _dir.Write("second", Second);

        var set = await _dir.LoadAsync("second", "first");

        Assert.Equal("beta", set.CurrentContext);
    }

    [Fact]
    public async Task Use_context_writes_the_first_file_with_a_current_context_field_and_leaves_the_others_alone()
    {
        _dir.Write("first", First);
        _dir.Write("second", Second);
        var set = await _dir.LoadAsync("first", "second");

        Assert.True(await set.UseContextAsync("alpha", _ct));

        Assert.Equal(First, _dir.Read("first"));
        Assert.Equal(Second.Replace("current-context: beta", "current-context: alpha"), _dir.Read("second"));
        Assert.Equal("alpha", (await _dir.LoadAsync("first", "second")).CurrentContext);
    }

    [Fact]
    public async Task Use_context_writes_the_first_file_when_none_has_a_current_context_field()
    {
        _dir.Write("first", First);
        _dir.Write("second", Second.Replace("current-context: beta\n", ""));
        var set = await _dir.LoadAsync("first", "second");

        await set.UseContextAsync("beta", _ct);

        Assert.Equal(First + "current-context: beta\n", _dir.Read("first"));
        Assert.Equal("beta", (await _dir.LoadAsync("first", "second")).CurrentContext);
    }

    [Fact]
    public async Task Use_of_an_unknown_context_fails_and_writes_nothing()
    {
        _dir.Write("second", Second);
        var set = await _dir.LoadAsync("second");

        var error = await Assert.ThrowsAsync<KubeconfigException>(() => set.UseContextAsync("nope", _ct));

        Assert.Equal(KubeconfigErrorKind.UnknownContext, error.Kind);
        Assert.Equal("no context exists with the name: \"nope\"", error.Message);
        Assert.Equal(Second, _dir.Read("second"));
    }

    [Fact]
    public async Task Using_the_current_context_again_writes_nothing_so_comments_stay()
    {
        var withComment = "# my precious comment\n" + Second;
        _dir.Write("second", withComment);
        var set = await _dir.LoadAsync("second");

        Assert.False(await set.UseContextAsync("beta", _ct));
        Assert.Equal(withComment, _dir.Read("second"));
    }

    [Fact]
    public async Task Switch_and_back_with_previous_context()
    {
        _dir.Write("first", First);
        _dir.Write("second", Second);

        await (await _dir.SwitcherAsync("first", "second")).SwitchContextAsync("alpha", _ct);
        Assert.Equal("beta", await (await _dir.SwitcherAsync("first", "second")).SwitchToPreviousContextAsync(_ct));
        Assert.Equal("beta", (await _dir.LoadAsync("first", "second")).CurrentContext);
        Assert.Equal("alpha", await (await _dir.SwitcherAsync("first", "second")).SwitchToPreviousContextAsync(_ct));
        Assert.Equal("alpha", (await _dir.LoadAsync("first", "second")).CurrentContext);
        Assert.Equal(Second.Replace("current-context: beta", "current-context: alpha"), _dir.Read("second"));
    }

    [Fact]
    public async Task Previous_context_without_history_fails()
    {
        _dir.Write("second", Second);
        var switcher = await _dir.SwitcherAsync("second");

        var error = await Assert.ThrowsAsync<KubeconfigException>(() => switcher.SwitchToPreviousContextAsync(_ct));

        Assert.Equal(KubeconfigErrorKind.NoPreviousContext, error.Kind);
    }

    [Fact]
    public async Task Rename_edits_the_defining_file_and_every_current_context_pointing_at_the_old_name()
    {
        _dir.Write("first", First + "current-context: beta\n");
        _dir.Write("second", Second);
        var switcher = await _dir.SwitcherAsync("first", "second");

        await switcher.RenameContextAsync("beta", "gamma", _ct);

        var set = await _dir.LoadAsync("first", "second");
        Assert.Equal("gamma", set.CurrentContext);
        Assert.Equal(["alpha", "gamma", "shared"], set.Contexts.Select(context => context.Name));
        Assert.Equal(First + "current-context: gamma\n", _dir.Read("first"));
        Assert.Equal(
            Second.Replace("- name: beta", "- name: gamma").Replace("current-context: beta", "current-context: gamma"),
            _dir.Read("second"));
    }

    [Fact]
    public async Task Rename_keeps_the_remembered_previous_context_pointing_at_the_renamed_one()
    {
        _dir.Write("second", Second);
        await (await _dir.SwitcherAsync("second")).SwitchContextAsync("shared", _ct);

        await (await _dir.SwitcherAsync("second")).RenameContextAsync("beta", "gamma", _ct);

        Assert.Equal("gamma", await (await _dir.SwitcherAsync("second")).SwitchToPreviousContextAsync(_ct));
    }

    [Theory]
    [InlineData("beta", "alpha", KubeconfigErrorKind.ContextExists)]
    [InlineData("nope", "gamma", KubeconfigErrorKind.UnknownContext)]
    [InlineData("beta", "", KubeconfigErrorKind.InvalidName)]
    public async Task Rename_refuses_and_writes_nothing(string oldName, string newName, KubeconfigErrorKind kind)
    {
        _dir.Write("first", First);
        _dir.Write("second", Second);
        var set = await _dir.LoadAsync("first", "second");

        var error = await Assert.ThrowsAsync<KubeconfigException>(() => set.RenameContextAsync(oldName, newName, _ct));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(First, _dir.Read("first"));
        Assert.Equal(Second, _dir.Read("second"));
    }

    [Fact]
    public async Task Deleting_the_current_context_removes_it_and_unsets_current_context()
    {
        _dir.Write("first", First + "current-context: beta\n");
        _dir.Write("second", Second);
        var set = await _dir.LoadAsync("first", "second");

        Assert.True(await set.DeleteContextAsync("beta", _ct));

        var reloaded = await _dir.LoadAsync("first", "second");
        Assert.Null(reloaded.CurrentContext);
        Assert.Equal(["alpha", "shared"], reloaded.Contexts.Select(context => context.Name));
        Assert.Equal(First + "current-context: \"\"\n", _dir.Read("first"));
    }

    [Fact]
    public async Task Deleting_another_context_keeps_the_current_one()
    {
        _dir.Write("first", First);
        _dir.Write("second", Second);
        var set = await _dir.LoadAsync("first", "second");

        Assert.False(await set.DeleteContextAsync("alpha", _ct));

        var reloaded = await _dir.LoadAsync("first", "second");
        Assert.Equal("beta", reloaded.CurrentContext);
        Assert.Equal(["beta", "shared"], reloaded.Contexts.Select(context => context.Name));
        Assert.Equal(Second, _dir.Read("second"));
    }

    [Fact]
    public async Task Deleting_a_shadowed_name_removes_the_first_definition_so_the_next_shows_through()
    {
        _dir.Write("first", First);
        _dir.Write("second", Second);

        await (await _dir.LoadAsync("first", "second")).DeleteContextAsync("shared", _ct);

        var shared = Assert.Single((await _dir.LoadAsync("first", "second")).Contexts, context => context.Name == "shared");
        Assert.Equal("from-second", shared.Namespace);
    }

    [Fact]
    public async Task Unset_clears_current_context_everywhere_it_is_set()
    {
        _dir.Write("first", First + "current-context: alpha\n");
        _dir.Write("second", Second);
        var set = await _dir.LoadAsync("first", "second");

        Assert.True(await set.UnsetCurrentContextAsync(_ct));

        Assert.Null((await _dir.LoadAsync("first", "second")).CurrentContext);
    }

    [Fact]
    public async Task Namespace_defaults_to_default_then_set_and_back_with_previous()
    {
        _dir.Write("first", First);
        _dir.Write("second", Second);
        Assert.Equal("default", (await _dir.LoadAsync("first", "second")).GetCurrentNamespace());

        await (await _dir.SwitcherAsync("first", "second")).SetNamespaceAsync("shop", _ct);
        Assert.Equal("shop", (await _dir.LoadAsync("first", "second")).GetCurrentNamespace());
        Assert.Equal(
            Second.Replace("    user: u2\n- name: shared", "    user: u2\n    namespace: shop\n- name: shared"),
            _dir.Read("second"));

        await (await _dir.SwitcherAsync("first", "second")).SetNamespaceAsync("payments", _ct);
        Assert.Equal("shop", await (await _dir.SwitcherAsync("first", "second")).SwitchToPreviousNamespaceAsync(_ct));
        Assert.Equal("payments", await (await _dir.SwitcherAsync("first", "second")).SwitchToPreviousNamespaceAsync(_ct));
        Assert.Equal("payments", (await _dir.LoadAsync("first", "second")).GetCurrentNamespace());
        Assert.Equal(First, _dir.Read("first"));
    }

    [Fact]
    public async Task Namespace_of_a_context_defined_in_another_file_is_written_there()
    {
        _dir.Write("first", First + "current-context: shared\n");
        _dir.Write("second", Second);

        await (await _dir.SwitcherAsync("first", "second")).SetNamespaceAsync("elsewhere", _ct);

        Assert.Equal(First.Replace("namespace: from-first", "namespace: elsewhere") + "current-context: shared\n", _dir.Read("first"));
        Assert.Equal(Second, _dir.Read("second"));
    }

    [Fact]
    public async Task Previous_namespace_is_remembered_per_context()
    {
        _dir.Write("second", Second);
        await (await _dir.SwitcherAsync("second")).SetNamespaceAsync("shop", _ct);
        await (await _dir.SwitcherAsync("second")).SwitchContextAsync("shared", _ct);

        var error = await Assert.ThrowsAsync<KubeconfigException>(
            async () => await (await _dir.SwitcherAsync("second")).SwitchToPreviousNamespaceAsync(_ct));

        Assert.Equal(KubeconfigErrorKind.NoPreviousNamespace, error.Kind);
        Assert.Equal("from-second", (await _dir.LoadAsync("second")).GetCurrentNamespace());
    }

    [Fact]
    public async Task Namespace_needs_a_current_context()
    {
        _dir.Write("first", First);
        var set = await _dir.LoadAsync("first");

        Assert.Equal(KubeconfigErrorKind.NoCurrentContext, Assert.Throws<KubeconfigException>(set.GetCurrentNamespace).Kind);
        Assert.Equal(
            KubeconfigErrorKind.NoCurrentContext,
            (await Assert.ThrowsAsync<KubeconfigException>(() => set.SetNamespaceAsync("x", _ct))).Kind);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Writes_are_atomic_leave_no_temporary_files_and_keep_the_file_mode()
    {
        _dir.Write("first", First);
        _dir.Write("second", Second);
        File.SetUnixFileMode(_dir.PathOf("second"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var switcher = await _dir.SwitcherAsync("first", "second");

        await switcher.SwitchContextAsync("alpha", _ct);
        await switcher.SetNamespaceAsync("shop", _ct);
        await switcher.RenameContextAsync("alpha", "alpha2", _ct);
        await switcher.SwitchToPreviousNamespaceAsync(_ct);

        Assert.Equal(["first", "second", Path.Combine("state", "flotilla", "kubectx"), Path.Combine("state", "flotilla", "kubens")], _dir.Files());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(_dir.PathOf("second")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(switcher.State.Paths.PreviousContextFile));
    }

    [Fact]
    public async Task A_symlinked_kubeconfig_stays_a_symlink_and_its_target_is_updated()
    {
        _dir.Write("second", Second);
        File.CreateSymbolicLink(_dir.PathOf("link"), "second");

        await (await _dir.LoadAsync("link")).UseContextAsync("shared", _ct);

        Assert.NotNull(new FileInfo(_dir.PathOf("link")).LinkTarget);
        Assert.Equal("shared", (await _dir.LoadAsync("second")).CurrentContext);
        Assert.Equal(["link", "second"], _dir.Files());
    }

    [Theory]
    [InlineData("clusters: [\n", "invalid YAML")]
    [InlineData("contexts: {a: b}\n", "\"contexts\" is not a list")]
    [InlineData("contexts:\n- context: {cluster: c}\n", "contexts[0] has no name")]
    [InlineData("- just\n- a list\n", "top level is not a mapping")]
    [InlineData("kind: Config\n---\nkind: Config\n", "more than one YAML document")]
    public async Task An_unparseable_file_fails_the_load_with_its_name_and_is_never_written(string broken, string reason)
    {
        _dir.Write("first", First);
        _dir.Write("broken", broken);

        var error = await Assert.ThrowsAsync<KubeconfigException>(() => _dir.LoadAsync("first", "broken"));

        Assert.Equal(KubeconfigErrorKind.InvalidFile, error.Kind);
        Assert.Contains(_dir.PathOf("broken"), error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(broken, _dir.Read("broken"));
        Assert.Equal(First, _dir.Read("first"));
    }

    [Fact]
    public async Task An_empty_file_is_an_empty_kubeconfig_and_can_receive_current_context()
    {
        _dir.Write("empty", "");
        _dir.Write("second", Second.Replace("current-context: beta\n", ""));

        await (await _dir.LoadAsync("empty", "second")).UseContextAsync("beta", _ct);

        Assert.Equal("current-context: beta\n", _dir.Read("empty"));
    }

    [Fact]
    public async Task Unknown_fields_at_every_level_survive_a_round_trip()
    {
        const string original = """
            apiVersion: v1
            kind: Config
            preferences:
              colors: true
              extensions:
              - name: pref-ext
                extension: {a: 1}
            clusters:
            - name: c
              cluster:
                server: https://c.example.com
                future-cluster-field: [1, 2]
                extensions:
                - name: cluster-ext
                  extension:
                    nested: {deep: value}
              unknown-item-field: kept
            contexts:
            - name: one
              context:
                cluster: c
                user: u
                extensions:
                - name: context-ext
                  extension: "quoted"
            - name: two
              context: {cluster: c, user: u}
            users:
            - name: u
              user:
                token: abc
                future-user-field: |
                  multi
                  line
            extensions:
            - name: top-ext
              extension: {x: y}
            unknown-top-level: 42
            anchors:
              base: &base {shared: true}
              copy: *base
            current-context: one

            """;
        _dir.Write("config", original);

        await (await _dir.SwitcherAsync("config")).SwitchContextAsync("two", _ct);
        await (await _dir.SwitcherAsync("config")).SetNamespaceAsync("shop", _ct);
        await (await _dir.SwitcherAsync("config")).SwitchToPreviousContextAsync(_ct);

        Assert.Equal(
            original.Replace("context: {cluster: c, user: u}", "context: {cluster: c, user: u, namespace: shop}"),
            _dir.Read("config"));
        Assert.Equal(Parse(original.Replace("user: u}", "user: u, namespace: shop}")), Parse(_dir.Read("config")));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("0123")]
    [InlineData("a: b")]
    [InlineData("-")]
    [InlineData("arn:aws:eks:eu-west-1:123456789012:cluster/prod")]
    public async Task Names_that_look_like_other_YAML_types_read_back_as_the_same_string(string name)
    {
        _dir.Write("config", $"contexts:\n- name: '{name}'\n  context: {{cluster: c, user: u}}\n");

        await (await _dir.LoadAsync("config")).UseContextAsync(name, _ct);
        await (await _dir.LoadAsync("config")).RenameContextAsync(name, name + "=", _ct);

        var set = await _dir.LoadAsync("config");
        Assert.Equal(name + "=", set.CurrentContext);
        Assert.Equal(name + "=", Assert.Single(set.Contexts).Name);
    }

    private static YamlNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }
}
