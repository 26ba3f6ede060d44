using System.Text.Json.Nodes;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Tests.Simulation;
using Flotilla.Kube.Watch;
using k8s;

namespace Flotilla.Kube.Tests.Clients;

/// <summary>Metadata-only answers (PartialObjectMetadata) from a real v1.20 kube-apiserver: no data, same errors.</summary>
[Collection(LocalFleetCollection.Name)]
public sealed class DynamicClientMetadataOnlyTests(LocalFleetFixture fleet) : IAsyncLifetime
{
    private readonly DynamicClient _client = new(fleet.Member);
    private string _ns = "";

    public async Task InitializeAsync() => _ns = await fleet.CreateNamespaceAsync();

    public async Task DisposeAsync() => await fleet.Member.CoreV1.DeleteNamespaceAsync(_ns);

    [Fact]
    public async Task Dry_run_answers_with_metadata_only_and_still_rejects_an_invalid_object()
    {
        var configMaps = (await _client.ResourceForAsync("v1", "ConfigMap", default))!;

        var answer = await _client.ApplyAsync(configMaps, ConfigMap("settings", "secret-ish"), dryRun: true, force: false, default, metadataOnly: true);

        Assert.Equal("PartialObjectMetadata", answer["kind"]!.GetValue<string>());
        Assert.Equal("settings", answer["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(answer["data"]);
        var invalid = ConfigMap("bad", "x");
        invalid["metadata"]!["labels"] = new JsonObject { ["app"] = "-not-a-label-" };
        var rejected = await Assert.ThrowsAsync<KubeApiException>(() =>
            _client.ApplyAsync(configMaps, invalid, dryRun: true, force: false, default, metadataOnly: true));
        Assert.Contains("metadata.labels", rejected.Message);
        Assert.Null(await _client.GetAsync(configMaps, _ns, "settings", default)); // a dry-run wrote nothing
    }

    [Fact]
    public async Task Watch_source_lists_and_watches_metadata_with_labels_and_managers()
    {
        var configMaps = (await _client.ResourceForAsync("v1", "ConfigMap", default))!;
        await _client.ApplyAsync(configMaps, ConfigMap("first", "1"), dryRun: false, force: false, default);
        var source = new DynamicWatchSource(_client, configMaps, "bench=metadata-only", metadataOnly: true);

        var (items, version) = await source.ListAsync(default);
        var listed = Assert.Single(items, i => i["metadata"]!["namespace"]!.GetValue<string>() == _ns);
        Assert.Null(listed["data"]);
        Assert.Equal("metadata-only", listed["metadata"]!["labels"]!["bench"]!.GetValue<string>());

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, obj) in source.WatchAsync(version, stop.Token))
                if (obj["metadata"]?["name"]?.GetValue<string>() == "second") return (type, obj);
            throw new InvalidOperationException("the watch ended without the change");
        });
        // No wait for the watch to open: it starts at the list's resourceVersion, so a change made before it is connected is still delivered.
        await _client.ApplyAsync(configMaps, ConfigMap("second", "2"), dryRun: false, force: false, default);
        var (eventType, seen) = await watching;

        Assert.Equal("ADDED", eventType);
        Assert.Null(seen["data"]);
        Assert.Equal("flotilla", seen["metadata"]!["managedFields"]![0]!["manager"]!.GetValue<string>());
    }

    private JsonObject ConfigMap(string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = _ns, ["labels"] = new JsonObject { ["bench"] = "metadata-only" } },
        ["data"] = new JsonObject { ["value"] = value },
    };
}
