using System.Diagnostics;
using Keel.Bench.Reporting;

namespace Keel.Bench.Tracking;

/// <summary>
/// log-batch ingest: several connections each POSTing 1000-point batches (a few keys, increasing steps) to
/// a handful of runs until a fixed total is sent or the time limit passes.
/// </summary>
internal sealed class IngestWorkload(TrackingScale scale) : ITrackingWorkload
{
    private static readonly string[] Keys = ["loss", "accuracy", "learning_rate", "grad_norm"];
    private const int StepsPerBatch = TrackingScale.BatchSize / TrackingScale.IngestKeys;
    // Enough for the server's hot paths to reach tier-1 code before the clock starts.
    private const int WarmupBatches = 100;

    public string Name => "log-batch ingest";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ServerProcess server, MlflowHttp http, Backend.DatabaseLease database, CancellationToken ct)
    {
        var experimentId = await http.CreateExperimentAsync("bench-ingest", ct);
        var runIds = new string[TrackingScale.IngestRuns];
        for (var r = 0; r < runIds.Length; r++)
        {
            runIds[r] = await http.CreateRunAsync(experimentId, $"ingest-{r}", ct);
        }

        // Request i goes to run i % runs as that run's batch i / runs, so each run's steps increase with i.
        var requests = scale.IngestPoints / TrackingScale.BatchSize;
        var bodies = new byte[requests][];
        Parallel.For(0, requests, i => bodies[i] = Batch(runIds[i % runIds.Length], i / runIds.Length));

        var warmupRun = await http.CreateRunAsync(experimentId, "warmup", ct);
        await Parallel.ForAsync(0, WarmupBatches, new ParallelOptions { MaxDegreeOfParallelism = TrackingScale.IngestConnections, CancellationToken = ct },
            async (i, token) => await http.PostAsync("runs/log-batch", Batch(warmupRun, i), token));

        var next = -1;
        var sentPerRun = new int[runIds.Length];
        var latencies = new List<long>[TrackingScale.IngestConnections];
        var limit = Stopwatch.StartNew();
        var meter = PhaseMeter.Start(server);
        await Task.WhenAll(Enumerable.Range(0, TrackingScale.IngestConnections).Select(async worker =>
        {
            var mine = latencies[worker] = new List<long>(requests / TrackingScale.IngestConnections + 1);
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests && limit.Elapsed < scale.IngestTimeLimit)
            {
                var started = Stopwatch.GetTimestamp();
                await http.PostAsync("runs/log-batch", bodies[i], ct);
                mine.Add(Stopwatch.GetTimestamp() - started);
                Interlocked.Increment(ref sentPerRun[i % runIds.Length]);
            }
        }));
        var cost = meter.Stop();

        var verified = await VerifyAsync(http, runIds, sentPerRun, ct);
        var points = sentPerRun.Sum() * (long)TrackingScale.BatchSize;
        var rate = points / cost.WallSeconds;
        return
        [
            new Measurement(
                "log-batch ingest",
                $"{TrackingScale.IngestConnections} connections POST runs/log-batch, {TrackingScale.BatchSize} metric points per request "
                    + $"({Keys.Length} keys x {StepsPerBatch} increasing steps) to {runIds.Length} runs, bodies serialized before timing",
                new Dictionary<string, object>
                {
                    ["connections"] = TrackingScale.IngestConnections,
                    ["runs"] = runIds.Length,
                    ["points_per_request"] = TrackingScale.BatchSize,
                    ["points_planned"] = scale.IngestPoints,
                    ["points_sent"] = points,
                    ["time_limit_s"] = scale.IngestTimeLimit.TotalSeconds,
                    ["warmup_requests"] = WarmupBatches,
                },
                rate,
                "points/s",
                LatencySummary.FromTicks(latencies.SelectMany(l => l).ToList()),
                cost,
                verified,
                [Baseline.IngestPointsPerSecond.Check(rate)]),
        ];
    }

    private static byte[] Batch(string runId, int batch) =>
        RequestBodies.LogBatch(runId, Enumerable.Range(batch * StepsPerBatch, StepsPerBatch).SelectMany(step => Keys.Select((key, k) =>
            new RequestBodies.Point(key, Math.Sin(step * 0.001 + k) * (k + 1), BenchClock.BaseTimestamp + step, step))));

    /// <summary>Reads back every run's first key, and every key of the first run, and compares counts with what was sent.</summary>
    private static async Task<string> VerifyAsync(MlflowHttp http, string[] runIds, int[] sentPerRun, CancellationToken ct)
    {
        var checks = runIds.Select((id, r) => (Run: r, Key: Keys[0])).Concat(Keys.Skip(1).Select(k => (Run: 0, Key: k)));
        foreach (var (run, key) in checks)
        {
            var expected = sentPerRun[run] * StepsPerBatch;
            var actual = MlflowHttp.CountHistory(await http.GetHistoryAsync(runIds[run], key, ct));
            if (actual != expected)
            {
                throw new BenchmarkException($"Ingest check failed: run {run} metric '{key}' has {actual} points after ingest, {expected} were sent.");
            }
        }

        return $"get-history of '{Keys[0]}' on all {runIds.Length} runs and of every key on run 0 returned exactly the points sent "
            + $"({sentPerRun[0] * StepsPerBatch:#,0} per key on run 0).";
    }
}
