using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Bench.Reporting;

namespace Keel.Bench.Serving;

/// <summary>
/// <c>keel serve</c> under wrk: a tracking server process, the demo-shaped FastTree model registered on it, and
/// <c>keel serve</c> as a third process serving it with the prediction log on. Throughput at 64 connections,
/// latency at 1, then a graceful stop and a count of the prediction log against the requests answered.
/// </summary>
internal static class ServingBenchmark
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    public static Target Throughput { get; } = new("scoring throughput, 64 connections", "requests/s", HigherIsBetter: true, Goal: 30_000, Baseline: null);

    public static Target LoadedP99 { get; } = new("scoring p99 latency, 64 connections", "ms", HigherIsBetter: false, Goal: 10, Baseline: null);

    public static Target SingleP50 { get; } = new("scoring p50 latency, 1 connection", "ms", HigherIsBetter: false, Goal: 1, Baseline: null);

    public static async Task<BenchReport> RunAsync(bool quick, TextWriter progress, CancellationToken ct)
    {
        var (loaded, single) = quick ? (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)) : (TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10));
        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] serving: starting a tracking server and training the model...");
        await using var tracking = await ServerProcess.StartAsync(StartTimeout, [], ct);
        var (name, sample, expected) = await DelayModel.RegisterAsync(tracking.BaseAddress, ct);
        var modelUri = $"models:/{name}@{DelayModel.Alias}";
        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] serving: keel serve --model {modelUri}...");
        var measurements = new List<Measurement>();
        await using (var serve = await ServerProcess.StartServeAsync(tracking.BaseAddress, ["--model", modelUri], StartTimeout, ct))
        {
            var body = DelayModel.RequestBody(sample);
            using var http = new HttpClient { BaseAddress = serve.BaseAddress };
            var verified = await VerifyAnswerAsync(http, body, expected, ct);
            var invocations = new Uri(serve.BaseAddress, "invocations");

            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] serving: warm-up, then {loaded.TotalSeconds:0} s at 64 connections...");
            await Wrk.RunAsync(invocations, body, 64, TimeSpan.FromSeconds(quick ? 1 : 3), ct);
            var meter = PhaseMeter.Start(serve);
            var many = await Wrk.RunAsync(invocations, body, 64, loaded, ct);
            var manyCost = meter.Stop();
            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] serving: {single.TotalSeconds:0} s at 1 connection...");
            meter = PhaseMeter.Start(serve);
            var one = await Wrk.RunAsync(invocations, body, 1, single, ct);
            var oneCost = meter.Stop();
            if (many.Failures + one.Failures > 0)
            {
                throw new BenchmarkException($"{many.Failures + one.Failures} requests failed (non-2xx, connect, read, write or timeout).");
            }

            var answered = await MetricAsync(http, "keel_serving_requests_total", ct);
            var batches = await MetricAsync(http, "keel_serving_batch_rows_count", ct);
            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] serving: stopping keel serve (SIGTERM) and counting the prediction log...");
            var dropped = await MetricAsync(http, "keel_serving_prediction_log_dropped_total", ct);
            var exit = await serve.StopGracefullyAsync(TimeSpan.FromSeconds(120), ct);
            var logged = await CountLogAsync(tracking.BaseAddress, name, ct);
            var log = $"answered {answered:#,0} requests in {batches:#,0} model calls; prediction log after SIGTERM (exit {exit}): "
                + $"{logged:#,0} rows, dropped counter {dropped:#,0}";
            if (logged != (long)answered)
            {
                throw new BenchmarkException($"The prediction log is incomplete: {log}.");
            }

            var parameters = new Dictionary<string, object> { ["model"] = "FastTree, 100 trees x 20 leaves, onnx flavor", ["rows_per_request"] = 1, ["prediction_log"] = "on" };
            measurements.Add(new Measurement("scoring, 64 connections", "wrk POST /invocations",
                new Dictionary<string, object>(parameters) { ["connections"] = 64, ["seconds"] = loaded.TotalSeconds },
                Math.Round(many.RequestsPerSecond), "requests/s", many.Latency, manyCost, $"{verified}; {log}",
                quick ? [] : [Throughput.Check(many.RequestsPerSecond), LoadedP99.Check(many.Latency.P99Ms)]));
            measurements.Add(new Measurement("scoring, 1 connection", "wrk POST /invocations",
                new Dictionary<string, object>(parameters) { ["connections"] = 1, ["seconds"] = single.TotalSeconds },
                Math.Round(one.RequestsPerSecond), "requests/s", one.Latency, oneCost, verified,
                quick ? [] : [SingleP50.Check(one.Latency.P50Ms)]));
        }

        // The same load without the prediction log: what logging costs, judged by no goal (the goals are with logging on).
        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] serving: {loaded.TotalSeconds:0} s at 64 connections with --no-prediction-log...");
        await using (var serve = await ServerProcess.StartServeAsync(tracking.BaseAddress, ["--model", modelUri], StartTimeout, ct, "--no-prediction-log"))
        {
            var invocations = new Uri(serve.BaseAddress, "invocations");
            var body = DelayModel.RequestBody(sample);
            await Wrk.RunAsync(invocations, body, 64, TimeSpan.FromSeconds(quick ? 1 : 3), ct);
            var meter = PhaseMeter.Start(serve);
            var unlogged = await Wrk.RunAsync(invocations, body, 64, loaded, ct);
            var cost = meter.Stop();
            if (unlogged.Failures > 0)
            {
                throw new BenchmarkException($"{unlogged.Failures} requests failed without the prediction log.");
            }

            measurements.Add(new Measurement("scoring, 64 connections, prediction log off", "wrk POST /invocations",
                new Dictionary<string, object> { ["connections"] = 64, ["seconds"] = loaded.TotalSeconds, ["prediction_log"] = "off" },
                Math.Round(unlogged.RequestsPerSecond), "requests/s", unlogged.Latency, cost, "every request 2xx", []));
        }

        measurements.Add(await DeploymentSwapAsync(tracking.BaseAddress, name, DelayModel.RequestBody(sample), loaded, quick, progress, ct));

        return new BenchReport(
            "serving",
            quick ? "quick" : "full",
            DateTimeOffset.UtcNow,
            MachineFacts.Current(ServerProcess.BuildConfiguration),
            new ServerFacts(
                ServerProcess.CliAssemblyPath,
                "dotnet keel.dll serve --model models:/bench-delay@champion --port PORT --cache-dir <temp> --tracking-uri <bench tracking server>",
                "keel serve (ONNX Runtime), prediction log to a Keel tracking server (SQLite) in a third process",
                "Server CPU is keel serve's; wrk and the tracking server count as other processes. All three share the machine's cores."),
            measurements,
            measurements.SelectMany(m => m.Goals).ToList(),
            new BaselineSection("No MLflow serving baseline was measured.", MeasuredInThisRun: false, new Dictionary<string, double>()));
    }

    /// <summary>
    /// A deployment moved to another version and rolled back while wrk holds 64 connections on it: every request must
    /// be answered, and the swap time is from the revision's creation to the first answer by the new version.
    /// </summary>
    private static async Task<Measurement> DeploymentSwapAsync(
        Uri trackingUri, string model, string body, TimeSpan duration, bool quick, TextWriter progress, CancellationToken ct)
    {
        using var client = new Keel.Client.KeelClient(trackingUri.ToString());
        var first = await client.ResolveModelUriAsync($"models:/{model}/1", ct);
        var second = await client.CreateModelVersionAsync(model, first.Source, first.RunId, cancellationToken: ct);
        var deployment = model + "-deployment";
        await client.Deployments.CreateAsync(deployment, $"models:/{model}/1", cancellationToken: ct);
        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] serving: keel serve --deployment {deployment}, {duration.TotalSeconds:0} s at 64 connections with a swap and a rollback...");
        await using var serve = await ServerProcess.StartServeAsync(trackingUri, ["--deployment", deployment], StartTimeout, ct, "--no-prediction-log");
        using var http = new HttpClient { BaseAddress = serve.BaseAddress };
        var invocations = new Uri(serve.BaseAddress, "invocations");
        await Wrk.RunAsync(invocations, body, 64, TimeSpan.FromSeconds(quick ? 1 : 3), ct);
        var meter = PhaseMeter.Start(serve);
        var load = Wrk.RunAsync(invocations, body, 64, duration, ct);
        await Task.Delay(duration / 4, ct);
        var toSecond = await SwapAsync(http, body, second.Version.ToString(CultureInfo.InvariantCulture),
            () => client.Deployments.SetModelAsync(deployment, $"models:/{model}/{second.Version}", ct), ct);
        await Task.Delay(duration / 4, ct);
        var back = await SwapAsync(http, body, "1", () => client.Deployments.RollbackAsync(deployment, cancellationToken: ct), ct);
        var result = await load;
        var cost = meter.Stop();
        if (result.Failures > 0)
        {
            throw new BenchmarkException($"{result.Failures} requests failed while the deployment swapped.");
        }

        return new Measurement("deployment swap and rollback under load, 64 connections", "wrk POST /invocations; PATCH then rollback the deployment",
            new Dictionary<string, object> { ["connections"] = 64, ["seconds"] = duration.TotalSeconds, ["poll_interval_s"] = 1, ["prediction_log"] = "off" },
            Math.Round(result.RequestsPerSecond), "requests/s", result.Latency, cost,
            $"every request 2xx; revision to first answer by the new version: {toSecond.TotalMilliseconds:0} ms (new version, loaded and warmed), "
            + $"{back.TotalMilliseconds:0} ms (rollback to a loaded version); both include the host's 1 s poll", []);
    }

    private static async Task<TimeSpan> SwapAsync(HttpClient http, string body, string version, Func<Task> change, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await change();
        while (true)
        {
            using var response = await http.PostAsync("invocations", new StringContent(body, Encoding.UTF8, "application/json"), ct);
            if (response.Headers.TryGetValues("X-Keel-Model-Version", out var values) && values.Single() == version)
            {
                return started.Elapsed;
            }

            if (started.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new BenchmarkException($"The deployment did not answer with version {version} within 60 s.");
            }

            await Task.Delay(5, ct);
        }
    }

    private static async Task<string> VerifyAnswerAsync(HttpClient http, string body, float expected, CancellationToken ct)
    {
        using var response = await http.PostAsync("invocations", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkException($"POST /invocations answered {(int)response.StatusCode}: {text}");
        }

        var score = JsonNode.Parse(text)?["predictions"]?[0]?["Score"]?.GetValue<float>();
        if (score is not { } s || Math.Abs(s - expected) > 1e-4 * Math.Max(1, Math.Abs(expected)))
        {
            throw new BenchmarkException($"keel serve scored the sample {score}, ML.NET {expected}: {text}");
        }

        return $"sample row scored {s} by keel serve, {expected} by ML.NET; every request 2xx";
    }

    private static async Task<double> MetricAsync(HttpClient http, string name, CancellationToken ct)
    {
        var text = await http.GetStringAsync("metrics", ct);
        return text.Split('\n')
            .Where(l => l.StartsWith(name, StringComparison.Ordinal) && (l.Length == name.Length || l[name.Length] is ' ' or '{'))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private static async Task<long> CountLogAsync(Uri tracking, string model, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = tracking, Timeout = TimeSpan.FromMinutes(2) };
        long count = 0;
        long? after = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonObject>(
                $"api/keel/v1/predictions?model={model}&max_results=10000{(after is null ? "" : "&after=" + after)}", ct)
                ?? throw new BenchmarkException("The prediction log answered nothing.");
            count += page["predictions"]?.AsArray().Count ?? 0;
            after = (long?)page["next_after"];
        }
        while (after is not null);

        return count;
    }
}
