using System.Diagnostics;
using System.Text.Json.Nodes;
using Keel.Bench.Reporting;

namespace Keel.Bench.Tracking;

/// <summary>
/// search: an experiment of generated runs (created concurrently with runs/create, filled with one log-batch
/// each), then sequential runs/search requests for two queries, each checked against the right answer.
/// </summary>
internal sealed class SearchWorkload(TrackingScale scale) : ITrackingWorkload
{
    public string Name => "search";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ServerProcess server, MlflowHttp http, Backend.DatabaseLease database, CancellationToken ct)
    {
        var experimentId = await http.CreateExperimentAsync("bench-search", ct);
        var runs = SearchRun.Generate(scale.SearchRuns);
        var setup = await LoadAsync(server, http, experimentId, runs, ct);
        await database.Settle(ct);

        List<Measurement> measurements = [setup];
        foreach (var query in new[] { SearchQuery.ByMetric, SearchQuery.ByTag })
        {
            measurements.Add(await MeasureAsync(server, http, experimentId, runs, query, ct));
        }

        return measurements;
    }

    private static async Task<Measurement> LoadAsync(ServerProcess server, MlflowHttp http, string experimentId, SearchRun[] runs, CancellationToken ct)
    {
        var meter = PhaseMeter.Start(server);
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = TrackingScale.SetupConnections, CancellationToken = ct },
            async (run, token) =>
            {
                run.RunId = await http.CreateRunAsync(experimentId, $"run-{run.Index}", token);
                var metrics = run.Metrics.Select(m => new RequestBodies.Point(m.Key, m.Value, BenchClock.BaseTimestamp, 0));
                await http.PostAsync("runs/log-batch", RequestBodies.LogBatch(run.RunId, metrics, run.Params, run.Tags), token);
            });
        var cost = meter.Stop();
        return new Measurement(
            "search setup: runs/create + log-batch",
            $"{runs.Length:#,0} runs created with runs/create by {TrackingScale.SetupConnections} concurrent clients, each then given "
                + "5 params, 5 metrics and 2 tags in one log-batch",
            new Dictionary<string, object> { ["runs"] = runs.Length, ["connections"] = TrackingScale.SetupConnections },
            runs.Length / cost.WallSeconds,
            "runs/s",
            null,
            cost,
            "Checked through the searches that follow (every query's full result count is compared with the generated data).",
            []);
    }

    private async Task<Measurement> MeasureAsync(
        ServerProcess server, MlflowHttp http, string experimentId, SearchRun[] runs, SearchQuery query, CancellationToken ct)
    {
        var body = query.Body(experimentId);
        var expectedSize = await VerifyFirstPageAsync(http, body, runs, query, ct);
        var matching = await VerifyCountAsync(http, experimentId, runs, query, ct);
        for (var i = 0; i < scale.SearchWarmup; i++)
        {
            await http.PostAsync("runs/search", body, ct);
        }

        var latencies = new List<long>(scale.SearchRequests);
        var meter = PhaseMeter.Start(server);
        for (var i = 0; i < scale.SearchRequests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await http.PostAsync("runs/search", body, ct);
            latencies.Add(Stopwatch.GetTimestamp() - started);
            if (response.Length != expectedSize)
            {
                throw new BenchmarkException($"{query.Name}: request {i} answered {response.Length} bytes, the verified answer was {expectedSize}.");
            }
        }

        var cost = meter.Stop();
        var latency = LatencySummary.FromTicks(latencies);
        return new Measurement(
            query.Name,
            $"{scale.SearchRequests} sequential POST runs/search after {scale.SearchWarmup} warm-up requests over {runs.Length:#,0} runs "
                + "(5 params, 5 metrics, 2 tags each)",
            new Dictionary<string, object>
            {
                ["filter"] = query.Filter,
                ["order_by"] = query.OrderBy,
                ["max_results"] = SearchQuery.PageSize,
                ["runs_in_experiment"] = runs.Length,
                ["runs_matching"] = matching,
                ["requests"] = scale.SearchRequests,
                ["warmup_requests"] = scale.SearchWarmup,
            },
            latency.P95Ms,
            "ms p95",
            latency,
            cost,
            $"First page: every run matches the filter and the order-by values equal the expected top {SearchQuery.PageSize}; "
                + $"paging through all results found the expected {matching:#,0} runs; every timed answer had the verified answer's size.",
            [query.Target.Check(latency.P95Ms)]);
    }

    private static async Task<int> VerifyFirstPageAsync(MlflowHttp http, byte[] body, SearchRun[] runs, SearchQuery query, CancellationToken ct)
    {
        var response = await http.PostAsync("runs/search", body, ct);
        var returned = Runs(MlflowHttp.Parse(response));
        var byId = runs.ToDictionary(r => r.RunId);
        foreach (var run in returned)
        {
            var id = run["info"]?["run_id"]?.GetValue<string>() ?? "";
            if (!byId.TryGetValue(id, out var generated) || !query.Matches(generated))
            {
                throw new BenchmarkException($"{query.Name}: run {id} was returned but does not match '{query.Filter}'.");
            }
        }

        var expected = query.ExpectedFirstPage(runs);
        var actual = returned.Select(query.ReturnedOrderValue).ToList();
        if (!expected.SequenceEqual(actual))
        {
            throw new BenchmarkException($"{query.Name}: the first page is not the expected top {SearchQuery.PageSize} by {query.OrderBy} "
                + $"(expected starts {string.Join(", ", expected.Take(3))}; got {string.Join(", ", actual.Take(3))}; {actual.Count} runs).");
        }

        return response.Length;
    }

    private static async Task<int> VerifyCountAsync(MlflowHttp http, string experimentId, SearchRun[] runs, SearchQuery query, CancellationToken ct)
    {
        const int PageSize = 1000;
        var expected = runs.Count(query.Matches);
        var seen = new HashSet<string>();
        string? token = null;
        for (var page = 0; page <= expected / PageSize + 1; page++)
        {
            var root = MlflowHttp.Parse(await http.PostAsync("runs/search", query.Body(experimentId, PageSize, token), ct));
            seen.UnionWith(Runs(root).Select(r => r["info"]!["run_id"]!.GetValue<string>()));
            token = root["next_page_token"]?.GetValue<string>();
            if (string.IsNullOrEmpty(token))
            {
                break;
            }
        }

        if (seen.Count != expected || !string.IsNullOrEmpty(token))
        {
            throw new BenchmarkException($"{query.Name}: paging found {seen.Count} distinct runs, {expected} match '{query.Filter}'.");
        }

        return expected;
    }

    private static List<JsonNode> Runs(JsonNode root) =>
        root["runs"]?.AsArray().Select(r => r!).ToList() ?? [];
}
