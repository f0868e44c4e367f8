using System.Diagnostics;
using Keel.Bench.Reporting;

namespace Keel.Bench.Tracking;

/// <summary>history: one metric of one run with many points (loaded by log-batch), read whole with get-history.</summary>
internal sealed class HistoryWorkload(TrackingScale scale) : ITrackingWorkload
{
    private const string Key = "loss";

    public string Name => "history";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ServerProcess server, MlflowHttp http, Backend.DatabaseLease database, CancellationToken ct)
    {
        var experimentId = await http.CreateExperimentAsync("bench-history", ct);
        var runId = await http.CreateRunAsync(experimentId, "long-training", ct);
        var batches = scale.HistoryPoints / TrackingScale.BatchSize;
        await Parallel.ForAsync(0, batches, new ParallelOptions { MaxDegreeOfParallelism = TrackingScale.SetupConnections, CancellationToken = ct },
            async (b, token) =>
            {
                var points = Enumerable.Range(b * TrackingScale.BatchSize, TrackingScale.BatchSize)
                    .Select(step => new RequestBodies.Point(Key, 2.0 / (1 + step * 0.01), BenchClock.BaseTimestamp + step, step));
                await http.PostAsync("runs/log-batch", RequestBodies.LogBatch(runId, points), token);
            });

        var first = await http.GetHistoryAsync(runId, Key, ct);
        var count = MlflowHttp.CountHistory(first);
        if (count != scale.HistoryPoints)
        {
            throw new BenchmarkException($"History check failed: get-history returned {count} points, {scale.HistoryPoints} were logged.");
        }

        for (var i = 1; i < scale.HistoryWarmup; i++)
        {
            await http.GetHistoryAsync(runId, Key, ct);
        }

        var latencies = new List<long>(scale.HistoryRequests);
        var meter = PhaseMeter.Start(server);
        for (var i = 0; i < scale.HistoryRequests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await http.GetHistoryAsync(runId, Key, ct);
            latencies.Add(Stopwatch.GetTimestamp() - started);
            if (response.Length != first.Length)
            {
                throw new BenchmarkException($"get-history request {i} answered {response.Length} bytes, the verified answer was {first.Length}.");
            }
        }

        var cost = meter.Stop();
        var latency = LatencySummary.FromTicks(latencies);
        return
        [
            new Measurement(
                "metric history",
                $"{scale.HistoryRequests} sequential GET metrics/get-history (no paging) after {scale.HistoryWarmup} warm-up requests, "
                    + $"one metric of {scale.HistoryPoints:#,0} points; time includes reading the whole body",
                new Dictionary<string, object>
                {
                    ["points"] = scale.HistoryPoints,
                    ["response_bytes"] = first.Length,
                    ["requests"] = scale.HistoryRequests,
                    ["warmup_requests"] = scale.HistoryWarmup,
                },
                latency.P95Ms,
                "ms p95",
                latency,
                cost,
                $"The first answer was parsed and held exactly {count:#,0} points and no next page; every timed answer had its size.",
                [Baseline.HistoryP95.Check(latency.P95Ms)]),
        ];
    }
}
