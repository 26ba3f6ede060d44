using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flotilla.Kube.LocalFleet;

/// <summary>One background process of the local fleet, with everything needed to start it again.</summary>
public sealed record LocalProcess(string Name, string Executable, IReadOnlyList<string> Arguments, string LogPath, int Pid)
{
    /// <summary>True when the recorded pid still runs this process's executable.</summary>
    [JsonIgnore]
    public bool IsRunning => DetachedProcess.IsRunning(Pid, Executable);
}

/// <summary>One control plane of the local fleet: the hub or a member.</summary>
public sealed record LocalCluster(
    string Name,
    bool IsHub,
    int Port,
    string AdminToken,
    string ViewerToken,
    IReadOnlyDictionary<string, string> Labels,
    LocalProcess ApiServer,
    LocalProcess ControllerManager)
{
    /// <summary>The API server URL.</summary>
    [JsonIgnore]
    public string Server => $"https://127.0.0.1:{Port}";
}

/// <summary>What <c>flotilla local up</c> started, saved as <c>fleet.json</c> in the fleet directory.</summary>
public sealed record LocalFleetState(string Directory, string CaPath, LocalProcess Etcd, IReadOnlyList<LocalCluster> Clusters)
{
    /// <summary>The <c>flotilla hub run</c> process started with <c>local up --with-hub</c>, if any.</summary>
    public LocalProcess? HubController { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The fleet's kubeconfig (contexts <c>flotilla-hub</c>, <c>member-1</c> …).</summary>
    [JsonIgnore]
    public string KubeconfigPath => Path.Combine(Directory, "kubeconfig");

    /// <summary>The hub control plane.</summary>
    [JsonIgnore]
    public LocalCluster Hub => Clusters.Single(c => c.IsHub);

    /// <summary>The member control planes, in order.</summary>
    [JsonIgnore]
    public IEnumerable<LocalCluster> Members => Clusters.Where(c => !c.IsHub);

    /// <summary>Every process, etcd first.</summary>
    [JsonIgnore]
    public IEnumerable<LocalProcess> Processes =>
        Clusters.SelectMany(c => new[] { c.ApiServer, c.ControllerManager }).Prepend(Etcd)
            .Concat(HubController is null ? [] : [HubController]);

    /// <summary>Path of the state file inside <paramref name="directory"/>.</summary>
    public static string FilePath(string directory) => Path.Combine(directory, "fleet.json");

    /// <summary>Loads the state, or null when no fleet was started in <paramref name="directory"/>.</summary>
    public static LocalFleetState? Load(string directory)
    {
        var path = FilePath(directory);
        return File.Exists(path) ? JsonSerializer.Deserialize<LocalFleetState>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Saves atomically (tokens inside: mode 0600).</summary>
    public void Save()
    {
        var path = FilePath(Directory);
        var temp = path + ".tmp";
        LocalCertificateAuthority.WritePrivate(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Returns a copy with <paramref name="updated"/> replacing the process of the same name.</summary>
    public LocalFleetState With(LocalProcess updated) => this with
    {
        Etcd = Etcd.Name == updated.Name ? updated : Etcd,
        HubController = HubController?.Name == updated.Name ? updated : HubController,
        Clusters = Clusters.Select(c => c with
        {
            ApiServer = c.ApiServer.Name == updated.Name ? updated : c.ApiServer,
            ControllerManager = c.ControllerManager.Name == updated.Name ? updated : c.ControllerManager,
        }).ToList(),
    };
}
