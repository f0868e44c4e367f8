using Dapper;
using Keel.Core.Tracking;
using Keel.Core.Tracking.Search;
using Xunit.Abstractions;

namespace Keel.Core.Tests.Tracking.Search;

public sealed class RunSearchPerformanceTests(RunSearchPerformanceTests.SeededDatabase seeded, ITestOutputHelper output)
    : IClassFixture<RunSearchPerformanceTests.SeededDatabase>
{
    private const int Runs = 10_000;
    private readonly TrackingTestDatabase _db = seeded.Database;

    /// <summary>10,000 runs with 5 params, 5 metrics and 2 tags each, built once for the class.</summary>
    public sealed class SeededDatabase : IDisposable
    {
        internal TrackingTestDatabase Database { get; } = Seed();

        public void Dispose() => Database.Dispose();
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("metrics.m0 > 0.9", "metrics.m0 DESC")]
    [InlineData("metrics.m1 < 0.5 AND params.p0 = 'v7'", "params.p1")]
    [InlineData("params.p2 LIKE 'v1%' AND tags.t0 = 'team-3'", "metrics.m2")]
    [InlineData("tags.t1 ILIKE 'GROUP-1%' AND attributes.status = 'FINISHED'", "start_time ASC")]
    [InlineData("attributes.start_time > 5000", "metrics.m4 ASC")]
    [InlineData("dataset.name = 'none' AND attributes.run_id IN ('a', 'b')", null)]
    [InlineData(null, "tags.t0 DESC")]
    public void Build_OverTenThousandRuns_ReachesEveryTableThroughAnIndex(string? filter, string? orderBy)
    {
        var query = RunSearchSql.Build([1], ViewType.ActiveOnly, filter, orderBy is null ? null : [orderBy], 100, 0);

        // Speed is the benchmark's business (bench/); what a test can pin down is the plan: no full scans.
        foreach (var part in query.Parts)
        {
            var plan = Plan(part);
            output.WriteLine($"{filter} | {orderBy}:\n{string.Join('\n', plan)}");
            Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Build_OrderedByMetric_WalksThatMetricsIndexInOrder()
    {
        var query = RunSearchSql.Build([1], ViewType.ActiveOnly, "metrics.m1 > 0.25 AND params.p1 = 'v1'", ["metrics.m2 DESC"], 100, 0);

        var plan = Plan(query.Parts[0]);
        Assert.True(plan[0].StartsWith("SEARCH lead USING", StringComparison.Ordinal) && plan[0].Contains("IX_latest_metrics_key_value", StringComparison.Ordinal),
            string.Join('\n', plan));
        Assert.DoesNotContain("USE TEMP B-TREE FOR ORDER BY", plan);
    }

    private List<string> Plan(SqlQuery part) =>
        _db.Connection.Query<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + part.Sql, new DynamicParameters(part.Parameters))
            .Select(row => row.Detail).ToList();

    private static TrackingTestDatabase Seed()
    {
        var db = new TrackingTestDatabase();
        var random = new Random(42);
        db.AddExperiment("perf");
        using var transaction = db.Connection.BeginTransaction();
        for (var run = 1; run <= Runs; run++)
        {
            db.Connection.Execute(
                """
                INSERT INTO runs(run_key, run_uuid, name, experiment_id, user_id, status, start_time, lifecycle_stage, artifact_uri)
                VALUES (@run, @uuid, @name, 1, 'alice', @status, @run, @stage, '')
                """,
                new { run, uuid = Guid.NewGuid().ToString("N"), name = $"run-{run}", status = run % 3 == 0 ? "FAILED" : "FINISHED", stage = run % 50 == 0 ? "deleted" : "active" },
                transaction);
            for (var i = 0; i < 5; i++)
            {
                db.Connection.Execute(
                    "INSERT INTO params VALUES (@run, @key, @value)", new { run, key = $"p{i}", value = $"v{random.Next(100)}" }, transaction);
                db.Connection.Execute(
                    "INSERT INTO latest_metrics VALUES (@run, @key, @value, 0, 0, 0)", new { run, key = $"m{i}", value = random.NextDouble() }, transaction);
            }

            db.Connection.Execute("INSERT INTO tags VALUES (@run, 't0', @value)", new { run, value = $"team-{random.Next(10)}" }, transaction);
            db.Connection.Execute("INSERT INTO tags VALUES (@run, 't1', @value)", new { run, value = $"group-{random.Next(20)}" }, transaction);
        }

        transaction.Commit();
        db.Connection.Execute("ANALYZE;");
        return db;
    }
}
