using System.Diagnostics;
using Keel.Bench.Reporting;
using Keel.Bench.Tracking;
using Microsoft.Playwright;

namespace Keel.Bench.Ui;

/// <summary>
/// The web UI in a real browser (Debian's Chromium through Playwright): the experiment page's first page with
/// 100,000 runs in the experiment, and a comparison chart of 5 runs × 100,000 points each (thinned on the server by LTTB).
/// Each is timed from navigation start until what the user waits for is on screen.
/// </summary>
internal static class UiBenchmark
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task<BenchReport> RunAsync(bool quick, TextWriter progress, CancellationToken ct)
    {
        var runs = quick ? 10_000 : 100_000;
        var points = quick ? 10_000 : 100_000;
        const int ChartRuns = 5;
        var repeats = quick ? 5 : 20;
        if (!File.Exists(Chromium))
        {
            throw new BenchmarkException($"{Chromium} is missing: apt-get install -y chromium.");
        }

        await using var server = await ServerProcess.StartAsync(TimeSpan.FromSeconds(60), [], ct);
        using var http = new MlflowHttp(server.BaseAddress, TrackingScale.SetupConnections);
        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] creating {runs:#,0} runs...");
        var experimentId = await http.CreateExperimentAsync("bench-ui", ct);
        var generated = SearchRun.Generate(runs);
        await Parallel.ForEachAsync(generated, new ParallelOptions { MaxDegreeOfParallelism = TrackingScale.SetupConnections, CancellationToken = ct },
            async (run, token) =>
            {
                run.RunId = await http.CreateRunAsync(experimentId, $"run-{run.Index:D6}", token);
                var metrics = run.Metrics.Select(m => new RequestBodies.Point(m.Key, m.Value, BenchClock.BaseTimestamp, 0));
                await http.PostAsync("runs/log-batch", RequestBodies.LogBatch(run.RunId, metrics, run.Params, run.Tags), token);
            });

        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] logging {ChartRuns} curves of {points:#,0} points...");
        var chartExperiment = await http.CreateExperimentAsync("bench-ui-chart", ct);
        var chartRunIds = new List<string>();
        for (var r = 0; r < ChartRuns; r++)
        {
            var runId = await http.CreateRunAsync(chartExperiment, $"curve-{r}", ct);
            chartRunIds.Add(runId);
            for (var start = 0; start < points; start += 1000)
            {
                var batch = Enumerable.Range(start, Math.Min(1000, points - start)).Select(s =>
                    new RequestBodies.Point("loss", Math.Exp(-s / (points / 5.0)) + (0.05 * Math.Sin(s * 0.01 * (r + 1))), BenchClock.BaseTimestamp + s, s));
                await http.PostAsync("runs/log-batch", RequestBodies.LogBatch(runId, batch), ct);
            }
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() })).NewPageAsync();

        var parameters = new Dictionary<string, object> { ["runs_in_experiment"] = runs, ["page_size"] = 50, ["repeats"] = repeats };
        var measurements = new List<Measurement>();
        var tableTarget = new Target("experiment page, first page shown", "ms", HigherIsBetter: false, Goal: 1000, Baseline: null);
        foreach (var (label, query) in new[]
        {
            ("default order", ""),
            ("sorted by a metric", "?order=metrics.%60m1%60%20DESC"),
            ("filtered and sorted", "?filter=metrics.m1%20%3E%200.25%20and%20params.p1%20%3D%20%27a%27&order=metrics.%60m2%60%20ASC"),
        })
        {
            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] experiment page, {label}...");
            var (latency, cost) = await TimeAsync(server, page, repeats, $"/experiments/{experimentId}{query}", async () =>
            {
                var rows = await page.Locator("#run-table tbody tr").CountAsync();
                if (rows != 50 || await page.Locator("#search-error").CountAsync() > 0)
                {
                    throw new BenchmarkException($"The experiment page ({label}) showed {rows} rows instead of 50.");
                }
            });
            measurements.Add(new Measurement($"experiment page first page ({label})",
                $"Chromium loads /experiments/{{id}}{query} (server-rendered run table, 50 rows) with {runs:#,0} runs in the experiment; timed to the load event",
                parameters, latency.P95Ms, "ms p95", latency, cost, "50 rows shown and no search error, every time", quick ? [] : [tableTarget.Check(latency.P95Ms)]));
        }

        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] comparison chart of {ChartRuns} x {points:#,0} points...");
        var compare = "/compare?" + string.Join('&', chartRunIds.Select(id => $"runs={id}")) + "&metric=loss";
        var (chartLatency, chartCost) = await TimeAsync(server, page, repeats, compare, async () =>
        {
            var drawn = await page.Locator(".chart[data-key='loss']").GetAttributeAsync("data-drawn");
            if (drawn != (ChartRuns * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new BenchmarkException($"The chart drew {drawn} points; expected {ChartRuns} runs x 1,000 thinned points.");
            }
        }, waitFor: ".chart[data-key='loss'][data-drawn] canvas");
        var chartTarget = new Target("chart of 5 runs x 100,000 points drawn", "ms", HigherIsBetter: false, Goal: 1000, Baseline: null);
        measurements.Add(new Measurement("comparison chart drawn",
            $"Chromium loads /compare for {ChartRuns} runs of {points:#,0} points each; each curve is fetched from the downsampled endpoint "
                + "(LTTB to 1,000 points) and drawn by uPlot; timed until the chart's canvas is drawn",
            new Dictionary<string, object> { ["runs"] = ChartRuns, ["points_per_run"] = points, ["points_drawn_per_run"] = 1000, ["repeats"] = repeats },
            chartLatency.P95Ms, "ms p95", chartLatency, chartCost, "the chart reports 5 x 1,000 points drawn, every time", quick ? [] : [chartTarget.Check(chartLatency.P95Ms)]));

        return new BenchReport(
            "ui",
            quick ? "quick" : "full",
            DateTimeOffset.UtcNow,
            MachineFacts.Current(ServerProcess.BuildConfiguration),
            new ServerFacts(ServerProcess.ServerAssemblyPath,
                "dotnet Keel.Server.dll --urls http://127.0.0.1:PORT --Storage:DataDirectory <fresh temp dir>",
                "SQLite metadata, local artifacts",
                "Chromium (headless, Debian's), the server and this process share the machine's cores."),
            measurements,
            measurements.SelectMany(m => m.Goals).ToList(),
            new BaselineSection("No MLflow UI numbers were taken for these workloads", MeasuredInThisRun: false, new Dictionary<string, double>()));
    }

    /// <summary>One warm-up navigation, then <paramref name="repeats"/> timed ones, each checked.</summary>
    private static async Task<(LatencySummary, PhaseCost)> TimeAsync(
        ServerProcess server, IPage page, int repeats, string path, Func<Task> check, string? waitFor = null)
    {
        async Task<long> OnceAsync()
        {
            var started = Stopwatch.GetTimestamp();
            await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            if (waitFor is not null)
            {
                await page.WaitForSelectorAsync(waitFor);
            }

            var elapsed = Stopwatch.GetTimestamp() - started;
            await check();
            return elapsed;
        }

        await OnceAsync();
        var ticks = new List<long>(repeats);
        var meter = PhaseMeter.Start(server);
        for (var i = 0; i < repeats; i++)
        {
            ticks.Add(await OnceAsync());
        }

        return (LatencySummary.FromTicks(ticks), meter.Stop());
    }
}
