using Keel.Bench.Reporting;

namespace Keel.Bench.Tracking;

/// <summary>
/// Runs each tracking workload against its own freshly started server (fresh data directory), so one
/// workload's leftovers (a large WAL, a grown table) never slow the next, and collects the report.
/// </summary>
internal static class TrackingBenchmark
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static async Task<BenchReport> RunAsync(TrackingScale scale, string? postgresUrl, TextWriter progress, CancellationToken ct)
    {
        var measurements = new List<Measurement>();
        var sqlite = new SqliteBackend();
        ITrackingWorkload[] workloads = [new IngestWorkload(scale), new LogMetricWorkload(scale), new SearchWorkload(scale), new HistoryWorkload(scale)];
        measurements.AddRange(await RunOnAsync(sqlite, workloads, progress, ct));
        List<Backend> backends = [sqlite];
        if (postgresUrl is not null)
        {
            var postgres = new PostgresBackend(postgresUrl);
            backends.Add(postgres);
            var large = scale with { SearchRuns = scale.SearchRuns * 10 };
            workloads = [new IngestWorkload(scale), new SearchWorkload(scale), new HistoryWorkload(scale)];
            measurements.AddRange((await RunOnAsync(postgres, workloads, progress, ct)).Select(OnPostgres));
            // How search scales: the same queries over ten times the runs, reported beside the goal's size, judged by none.
            measurements.AddRange((await RunOnAsync(postgres, [new SearchWorkload(large)], progress, ct))
                .Select(m => OnPostgres(m) with { Name = $"{m.Name} at {large.SearchRuns:#,0} runs [PostgreSQL]", Goals = [] }));
        }

        // A scaled-down run is a smoke test: its sizes are not the goals' sizes, so it judges none.
        if (scale != TrackingScale.Full)
        {
            measurements = measurements.Select(m => m with { Goals = [] }).ToList();
        }

        return new BenchReport(
            "tracking",
            scale.Mode,
            DateTimeOffset.UtcNow,
            MachineFacts.Current(ServerProcess.BuildConfiguration),
            new ServerFacts(
                ServerProcess.ServerAssemblyPath,
                "dotnet Keel.Server.dll --urls http://127.0.0.1:PORT --Storage:DataDirectory <fresh temp dir> "
                    + "--Logging:LogLevel:Keel.Requests=Warning --Logging:LogLevel:Default=Warning",
                string.Join("; ", backends.Select(b => b.Description)),
                "One server process per workload, each with a fresh data directory; client and server share the machine's cores."),
            measurements,
            measurements.SelectMany(m => m.Goals).ToList(),
            new BaselineSection(Baseline.Source, MeasuredInThisRun: false, Baseline.Numbers));
    }

    private static async Task<List<Measurement>> RunOnAsync(Backend backend, ITrackingWorkload[] workloads, TextWriter progress, CancellationToken ct)
    {
        var measurements = new List<Measurement>();
        foreach (var workload in workloads)
        {
            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] {workload.Name} on {backend.Name}: starting a fresh server...");
            await using var database = await backend.CreateAsync(ct);
            await using var server = await ServerProcess.StartAsync(StartTimeout, database.ServerArguments, ct);
            using var http = new MlflowHttp(server.BaseAddress, maxConnections: 32);
            try
            {
                foreach (var m in await workload.RunAsync(server, http, database, ct))
                {
                    await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}]   {m.Name}: {m.Value:#,0.##} {m.Unit} "
                        + $"(server {m.Cost.ServerCores:0.00} cores, client {m.Cost.ClientCores:0.00}, other processes {m.Cost.OtherCores:0.00})");
                    measurements.Add(m);
                }
            }
            catch (BenchmarkException e)
            {
                throw new BenchmarkException($"{workload.Name} on {backend.Name}: {e.Message}{Environment.NewLine}Server log tail:{Environment.NewLine}{server.RecentLog()}");
            }
        }

        return measurements;
    }

    /// <summary>Names a PostgreSQL measurement as such; ingest is judged by PostgreSQL's own goal, the rest by the same goals as SQLite.</summary>
    private static Measurement OnPostgres(Measurement m) => m with
    {
        Name = $"{m.Name} [PostgreSQL]",
        Goals = m.Goals.Select(g => g.Name == Baseline.IngestPointsPerSecond.Name
            ? Baseline.PostgresIngestPointsPerSecond.Check(g.Measured)
            : g with { Name = $"{g.Name} [PostgreSQL]" }).ToList(),
    };
}
