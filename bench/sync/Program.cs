// bench/sync: how fast Flotilla takes a commit to N clusters beside three baselines (SyncBenchmark), or with
// --idle what the hub costs when nothing changes (IdleBenchmark). Both start their own local fleet and purge it.
using Flotilla.Bench.Sync;

if (args.Contains("--idle"))
    await IdleBenchmark.RunAsync(Arg("--members", 10), Arg("--bundles", 20), Arg("--objects", 1000), Arg("--seconds", 120));
else
    await SyncBenchmark.RunAsync(Arg("--members", 3), Arg("--objects", 300), Arg("--runs", 5), Arg("--warmups", 20), Arg("--five-percent-runs", 25));

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
