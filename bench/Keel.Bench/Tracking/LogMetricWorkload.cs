using System.Diagnostics;
using Keel.Bench.Reporting;

namespace Keel.Bench.Tracking;

/// <summary>single log-metric: 16 clients, each on its own run, POST one point per request for a fixed time.</summary>
internal sealed class LogMetricWorkload(TrackingScale scale) : ITrackingWorkload
{
    private const string Key = "loss";

    // Bounds each client's loop by count as well as time.
    private const int MaxRequestsPerClient = 2_000_000;

    public string Name => "single log-metric";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ServerProcess server, MlflowHttp http, Backend.DatabaseLease database, CancellationToken ct)
    {
        var experimentId = await http.CreateExperimentAsync("bench-log-metric", ct);
        var runIds = new string[TrackingScale.LogMetricClients];
        for (var c = 0; c < runIds.Length; c++)
        {
            runIds[c] = await http.CreateRunAsync(experimentId, $"client-{c}", ct);
        }

        var steps = new int[runIds.Length];
        await Task.WhenAll(runIds.Select(async (runId, c) =>
        {
            for (; steps[c] < TrackingScale.LogMetricWarmupPerClient; steps[c]++)
            {
                await http.PostAsync("runs/log-metric", Body(runId, steps[c]), ct);
            }
        }));

        var latencies = new List<long>[runIds.Length];
        var meter = PhaseMeter.Start(server);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(runIds.Select(async (runId, c) =>
        {
            var mine = latencies[c] = new List<long>(100_000);
            while (clock.Elapsed < scale.LogMetricDuration && mine.Count < MaxRequestsPerClient)
            {
                // Building a ~100-byte body is far cheaper than the request; it stays inside the loop to keep steps unique.
                var body = Body(runId, steps[c]);
                var started = Stopwatch.GetTimestamp();
                await http.PostAsync("runs/log-metric", body, ct);
                mine.Add(Stopwatch.GetTimestamp() - started);
                steps[c]++;
            }
        }));
        var cost = meter.Stop();

        var verified = await VerifyAsync(http, runIds, steps, ct);
        var requests = latencies.Sum(l => l.Count);
        var rate = requests / cost.WallSeconds;
        return
        [
            new Measurement(
                "single log-metric",
                $"{runIds.Length} concurrent clients, each on its own run, POST runs/log-metric with one point per request "
                    + $"(increasing step) for {scale.LogMetricDuration.TotalSeconds:0.#} s; each waits for its answer before the next",
                new Dictionary<string, object>
                {
                    ["clients"] = runIds.Length,
                    ["duration_s"] = scale.LogMetricDuration.TotalSeconds,
                    ["requests"] = requests,
                    ["warmup_requests_per_client"] = TrackingScale.LogMetricWarmupPerClient,
                },
                rate,
                "requests/s",
                LatencySummary.FromTicks(latencies.SelectMany(l => l).ToList()),
                cost,
                verified,
                [Baseline.LogMetricRequestsPerSecond.Check(rate)]),
        ];
    }

    private static byte[] Body(string runId, int step) =>
        RequestBodies.LogMetric(runId, new RequestBodies.Point(Key, 1.0 / (step + 1), BenchClock.BaseTimestamp + step, step));

    private static async Task<string> VerifyAsync(MlflowHttp http, string[] runIds, int[] steps, CancellationToken ct)
    {
        for (var c = 0; c < runIds.Length; c++)
        {
            var actual = MlflowHttp.CountHistory(await http.GetHistoryAsync(runIds[c], Key, ct));
            if (actual != steps[c])
            {
                throw new BenchmarkException($"log-metric check failed: client {c}'s run has {actual} points, {steps[c]} were acknowledged.");
            }
        }

        return $"get-history on each of the {runIds.Length} runs returned exactly the acknowledged points (warm-up included).";
    }
}
