using Dapper;
using Keel.Core.Tracking;
using Keel.Core.Tracking.Search;

namespace Keel.Core.Tests.Tracking.Search;

public sealed class RunSearchSqlTests : IDisposable
{
    private readonly TrackingTestDatabase _db = new();
    private readonly long _experiment;
    private readonly long _otherExperiment;

    // run1..run3 are active in _experiment, newest last; run4 is deleted there; run5 lives in _otherExperiment.
    public RunSearchSqlTests()
    {
        _experiment = _db.AddExperiment("exp");
        _otherExperiment = _db.AddExperiment("other");

        var run1 = _db.AddRun(_experiment, "run1", name: "alpha", startTime: 1000, endTime: 2000, userId: "alice", artifactUri: "s3://bucket/run1");
        _db.AddMetric(run1, "rmse", 0.5);
        _db.AddMetric(run1, "acc", 0.9);
        _db.AddMetric(run1, "my metric", 7);
        _db.AddParam(run1, "lr", "0.01");
        _db.AddParam(run1, "model", "Linear");
        _db.AddTag(run1, "env", "prod");
        _db.AddTag(run1, "my tag", "x y");
        _db.AddTag(run1, "mlflow.runName", "alpha");
        _db.AddDatasetInput(run1, _experiment, "train-data", "abc123", "training");
        _db.AddDatasetInput(run1, _experiment, "holdout-data", "fff000", "evaluation");

        var run2 = _db.AddRun(_experiment, "run2", name: "beta", startTime: 2000, status: "RUNNING", userId: "bob");
        _db.AddMetric(run2, "rmse", 0.3);
        _db.AddMetric(run2, "acc", double.NaN);
        _db.AddParam(run2, "lr", "0.1");
        _db.AddParam(run2, "model", "linear-svm");
        _db.AddTag(run2, "env", "dev");
        _db.AddDatasetInput(run2, _experiment, "eval-data", "def456", "evaluation");

        var run3 = _db.AddRun(_experiment, "run3", name: "Gamma", startTime: 3000, endTime: 3500, status: "FAILED", userId: "alice");
        _db.AddMetric(run3, "rmse", 0.8);
        _db.AddParam(run3, "lr", "0.001");
        _db.AddTag(run3, "env", "Prod");

        var run4 = _db.AddRun(_experiment, "run4", name: "delta", startTime: 4000, lifecycleStage: "deleted");
        _db.AddMetric(run4, "rmse", 0.1);
        _db.AddParam(run4, "lr", "0.01");

        var run5 = _db.AddRun(_otherExperiment, "run5", name: "alpha", startTime: 5000);
        _db.AddMetric(run5, "rmse", 0.2);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Build_WithoutFilter_ReturnsActiveRunsNewestFirst()
    {
        Assert.Equal(["run3", "run2", "run1"], Search(null));
    }

    [Theory]
    [InlineData("ActiveOnly", new[] { "run3", "run2", "run1" })]
    [InlineData("DeletedOnly", new[] { "run4" })]
    [InlineData("All", new[] { "run4", "run3", "run2", "run1" })]
    public void Build_WithViewType_FiltersByLifecycleStage(string view, string[] expected)
    {
        Assert.Equal(expected, _db.RunIds(RunSearchSql.Build([_experiment], Enum.Parse<ViewType>(view), null, null, 100, 0)));
    }

    [Fact]
    public void Build_WithSeveralExperiments_SearchesAllOfThem()
    {
        Assert.Equal(["run5", "run3", "run2", "run1"], _db.RunIds(RunSearchSql.Build([_experiment, _otherExperiment], ViewType.ActiveOnly, null, null, 100, 0)));
    }

    [Fact]
    public void Build_WithNoExperiments_ReturnsNoRuns()
    {
        Assert.Empty(_db.RunIds(RunSearchSql.Build([], ViewType.All, null, null, 100, 0)));
    }

    [Theory]
    [InlineData("metrics.rmse < 0.6", new[] { "run2", "run1" })]
    [InlineData("metrics.rmse >= 0.5", new[] { "run3", "run1" })]
    [InlineData("metric.rmse > 0.5", new[] { "run3" })]
    [InlineData("metrics.rmse <= 0.3", new[] { "run2" })]
    [InlineData("metrics.rmse = 0.3", new[] { "run2" })]
    [InlineData("metrics.rmse != 0.3", new[] { "run3", "run1" })]
    [InlineData("metrics.rmse > -1e3", new[] { "run3", "run2", "run1" })]
    [InlineData("metrics.`my metric` = 7", new[] { "run1" })]
    [InlineData("metrics.\"my metric\" >= 7.0", new[] { "run1" })]
    [InlineData("metrics.missing > 0", new string[0])]
    public void Build_WithMetricFilter_ReturnsMatchingRuns(string filter, string[] expected)
    {
        Assert.Equal(expected, Search(filter));
    }

    [Theory]
    [InlineData("metrics.acc > 0", new[] { "run1" })]
    [InlineData("metrics.acc <= 0", new string[0])]
    [InlineData("metrics.acc = 0", new string[0])]
    [InlineData("metrics.acc != 0.9", new[] { "run2" })]
    public void Build_WithMetricFilter_TreatsNanAsUnordered(string filter, string[] expected)
    {
        // run2's acc is NaN (stored as 0) and run3 has no acc at all.
        Assert.Equal(expected, Search(filter));
    }

    [Theory]
    [InlineData("params.lr = '0.01'", new[] { "run1" })]
    [InlineData("params.lr = \"0.1\"", new[] { "run2" })]
    [InlineData("params.lr != '0.01'", new[] { "run3", "run2" })]
    [InlineData("params.model != 'Linear'", new[] { "run2" })]
    [InlineData("params.model = 'linear'", new string[0])]
    [InlineData("params.model LIKE 'lin%'", new[] { "run2" })]
    [InlineData("params.model LIKE 'Lin%'", new[] { "run1" })]
    [InlineData("params.model ILIKE 'LIN%'", new[] { "run2", "run1" })]
    [InlineData("params.model ILIKE '%svm'", new[] { "run2" })]
    [InlineData("params.lr LIKE '0.0_'", new[] { "run1" })]
    [InlineData("params.lr IN ('0.01', \"0.001\")", new[] { "run3", "run1" })]
    [InlineData("params.lr NOT IN ('0.01')", new[] { "run3", "run2" })]
    [InlineData("parameters.model IN ('Linear')", new[] { "run1" })]
    public void Build_WithParamFilter_ReturnsMatchingRuns(string filter, string[] expected)
    {
        Assert.Equal(expected, Search(filter));
    }

    [Theory]
    [InlineData("tags.env = 'prod'", new[] { "run1" })]
    [InlineData("tags.env ILIKE 'PROD'", new[] { "run3", "run1" })]
    [InlineData("tags.env LIKE 'P%'", new[] { "run3" })]
    [InlineData("tag.env != 'prod'", new[] { "run3", "run2" })]
    [InlineData("tags.env IN ('dev', 'Prod')", new[] { "run3", "run2" })]
    [InlineData("tags.`my tag` = 'x y'", new[] { "run1" })]
    [InlineData("tags.\"my tag\" = 'x y'", new[] { "run1" })]
    [InlineData("tags.mlflow.runName = 'alpha'", new[] { "run1" })]
    [InlineData("tags.`mlflow.runName` LIKE 'al%'", new[] { "run1" })]
    public void Build_WithTagFilter_ReturnsMatchingRuns(string filter, string[] expected)
    {
        Assert.Equal(expected, Search(filter));
    }

    [Theory]
    [InlineData("attributes.run_name = 'beta'", new[] { "run2" })]
    [InlineData("run_name ILIKE 'g%'", new[] { "run3" })]
    [InlineData("run_name LIKE 'g%'", new string[0])]
    [InlineData("attributes.`Run Name` = 'alpha'", new[] { "run1" })]
    [InlineData("attributes.status = 'RUNNING'", new[] { "run2" })]
    [InlineData("status != 'RUNNING'", new[] { "run3", "run1" })]
    [InlineData("attr.status IN ('FAILED', 'RUNNING')", new[] { "run3", "run2" })]
    [InlineData("run.status NOT IN ('FAILED')", new[] { "run2", "run1" })]
    [InlineData("attributes.user_id = 'alice'", new[] { "run3", "run1" })]
    [InlineData("attributes.artifact_uri LIKE 's3://%'", new[] { "run1" })]
    [InlineData("attributes.start_time >= 2000", new[] { "run3", "run2" })]
    [InlineData("start_time = 1000", new[] { "run1" })]
    [InlineData("created < 2000", new[] { "run1" })]
    [InlineData("Created > 1500.5", new[] { "run3", "run2" })]
    [InlineData("attributes.end_time > 1000", new[] { "run3", "run1" })]
    [InlineData("attributes.end_time != 2000", new[] { "run3" })]
    [InlineData("attributes.run_id = 'run2'", new[] { "run2" })]
    [InlineData("attributes.run_id != 'run2'", new[] { "run3", "run1" })]
    [InlineData("attributes.run_id IN ('run1', 'run3', 'run4', 'run5')", new[] { "run3", "run1" })]
    [InlineData("attributes.run_id NOT IN ('run1')", new[] { "run3", "run2" })]
    public void Build_WithAttributeFilter_ReturnsMatchingRuns(string filter, string[] expected)
    {
        Assert.Equal(expected, Search(filter));
    }

    [Theory]
    [InlineData("dataset.name = 'train-data'", new[] { "run1" })]
    [InlineData("datasets.name LIKE '%-data'", new[] { "run2", "run1" })]
    [InlineData("dataset.name != 'train-data'", new[] { "run2", "run1" })]
    [InlineData("dataset.name NOT IN ('train-data', 'holdout-data')", new[] { "run2" })]
    [InlineData("dataset.digest = 'def456'", new[] { "run2" })]
    [InlineData("datasets.digest IN ('abc123', 'def456')", new[] { "run2", "run1" })]
    [InlineData("dataset.context = 'evaluation'", new[] { "run2", "run1" })]
    [InlineData("dataset.context = 'training'", new[] { "run1" })]
    [InlineData("dataset.context ILIKE 'TRAIN%'", new[] { "run1" })]
    [InlineData("dataset.context LIKE 'TRAIN%'", new string[0])]
    public void Build_WithDatasetFilter_ReturnsEachMatchingRunOnce(string filter, string[] expected)
    {
        Assert.Equal(expected, Search(filter));
    }

    [Theory]
    [InlineData("metrics.rmse < 0.6 AND params.lr = '0.1'", new[] { "run2" })]
    [InlineData("metrics.rmse > 0.2 and metrics.rmse < 0.6 and tags.env = 'prod'", new[] { "run1" })]
    [InlineData("params.lr LIKE '0.0%' AND status = 'FAILED' AND start_time > 0", new[] { "run3" })]
    [InlineData("dataset.context = 'evaluation' AND attributes.user_id = 'bob'", new[] { "run2" })]
    [InlineData("metrics.rmse < 0.6 AND metrics.acc > 0", new[] { "run1" })]
    public void Build_WithAndedFilters_ReturnsRunsMatchingAll(string filter, string[] expected)
    {
        Assert.Equal(expected, Search(filter));
    }

    [Theory]
    [InlineData("metrics.rmse", new[] { "run2", "run1", "run3" })]
    [InlineData("metrics.rmse DESC", new[] { "run3", "run1", "run2" })]
    [InlineData("params.lr", new[] { "run3", "run1", "run2" })]
    [InlineData("params.lr DESC", new[] { "run2", "run1", "run3" })]
    [InlineData("tags.env ASC", new[] { "run3", "run2", "run1" })]
    [InlineData("attributes.start_time ASC", new[] { "run1", "run2", "run3" })]
    [InlineData("start_time", new[] { "run1", "run2", "run3" })]
    [InlineData("created DESC", new[] { "run3", "run2", "run1" })]
    [InlineData("run_name", new[] { "run3", "run1", "run2" })]
    [InlineData("attributes.status DESC", new[] { "run2", "run1", "run3" })]
    [InlineData("attributes.run_id DESC", new[] { "run3", "run2", "run1" })]
    public void Build_WithOrderBy_SortsRuns(string orderBy, string[] expected)
    {
        Assert.Equal(expected, Search(null, [orderBy]));
    }

    [Theory]
    [InlineData("metrics.acc", new[] { "run1", "run2", "run3" })]
    [InlineData("metrics.acc DESC", new[] { "run1", "run2", "run3" })]
    [InlineData("params.model", new[] { "run1", "run2", "run3" })]
    [InlineData("params.model DESC", new[] { "run2", "run1", "run3" })]
    [InlineData("tags.`my tag`", new[] { "run1", "run3", "run2" })]
    [InlineData("tags.`my tag` DESC", new[] { "run1", "run3", "run2" })]
    [InlineData("end_time", new[] { "run1", "run3", "run2" })]
    [InlineData("end_time DESC", new[] { "run3", "run1", "run2" })]
    public void Build_WithOrderByOnMissingValues_SortsThemLastInBothDirections(string orderBy, string[] expected)
    {
        // acc: run1 = 0.9, run2 = NaN (after real values), run3 has none (after NaN).
        Assert.Equal(expected, Search(null, [orderBy]));
    }

    [Fact]
    public void Build_WithSeveralOrderBys_AppliesThemInTurn()
    {
        Assert.Equal(["run2", "run3", "run1"], Search(null, ["attributes.user_id DESC", "metrics.rmse DESC"]));
    }

    [Fact]
    public void Build_WithOrderByAndFilter_CombinesThem()
    {
        Assert.Equal(["run1", "run3"], Search("attributes.user_id = 'alice'", ["metrics.rmse ASC"]));
    }

    [Fact]
    public void Build_WithTies_BreaksThemByStartTimeDescThenRunId()
    {
        using var db = new TrackingTestDatabase();
        var experiment = db.AddExperiment("ties");
        foreach (var (id, start) in new[] { ("c", 10L), ("a", 10L), ("b", 20L), ("d", 5L) })
        {
            var run = db.AddRun(experiment, id, startTime: start);
            db.AddParam(run, "same", "v");
        }

        Assert.Equal(["b", "a", "c", "d"], db.RunIds(RunSearchSql.Build([experiment], ViewType.ActiveOnly, null, null, 10, 0)));
        Assert.Equal(["b", "a", "c", "d"], db.RunIds(RunSearchSql.Build([experiment], ViewType.ActiveOnly, null, ["params.same DESC"], 10, 0)));
        Assert.Equal(["d", "a", "c", "b"], db.RunIds(RunSearchSql.Build([experiment], ViewType.ActiveOnly, null, ["start_time"], 10, 0)));
    }

    [Theory]
    [InlineData(2, 0, new[] { "run3", "run2" })]
    [InlineData(2, 2, new[] { "run1" })]
    [InlineData(2, 3, new string[0])]
    [InlineData(0, 0, new string[0])]
    [InlineData(1, 1, new[] { "run2" })]
    public void Build_WithLimitAndOffset_ReturnsThatPage(int limit, int offset, string[] expected)
    {
        Assert.Equal(expected, _db.RunIds(RunSearchSql.Build([_experiment], ViewType.ActiveOnly, null, null, limit, offset)));
    }

    [Fact]
    public void Build_WithPageToken_ContinuesWhereThePreviousPageEnded()
    {
        var first = _db.RunIds(RunSearchSql.Build([_experiment], ViewType.ActiveOnly, null, ["metrics.rmse"], 2, PageToken.Decode(null)));
        var token = PageToken.Encode(2);
        var second = _db.RunIds(RunSearchSql.Build([_experiment], ViewType.ActiveOnly, null, ["metrics.rmse"], 2, PageToken.Decode(token)));

        Assert.Equal(["run2", "run1"], first);
        Assert.Equal(["run3"], second);
    }

    [Fact]
    public void Build_KeepsUserValuesAndKeysOutOfTheSql()
    {
        const string hostile = "x'; DROP TABLE runs; --";
        var query = RunSearchSql.Build(
            [_experiment], ViewType.ActiveOnly,
            $"params.`evil key` = \"{hostile}\" AND tags.secret_tag LIKE '%' AND metrics.secret_metric > 1",
            ["params.order_key"], 10, 0);

        Assert.Empty(_db.RunIds(query));
        Assert.NotEmpty(query.Parts);
        foreach (var part in query.Parts)
        {
            Assert.DoesNotContain(hostile, part.Sql, StringComparison.Ordinal);
            Assert.DoesNotContain("evil key", part.Sql, StringComparison.Ordinal);
            Assert.DoesNotContain("secret_tag", part.Sql, StringComparison.Ordinal);
            Assert.DoesNotContain("secret_metric", part.Sql, StringComparison.Ordinal);
            Assert.DoesNotContain("order_key", part.Sql, StringComparison.Ordinal);
            Assert.Contains(hostile, part.Parameters.Values);
        }

        Assert.Equal(5, _db.Connection.ExecuteScalar<long>("SELECT COUNT(*) FROM runs"));
    }

    [Fact]
    public void Build_WithInvalidFilter_ThrowsInvalidParameter()
    {
        var error = Assert.Throws<KeelException>(() => RunSearchSql.Build([_experiment], ViewType.ActiveOnly, "metrics.rmse LIKE '1'", null, 10, 0));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Fact]
    public void Build_WithInvalidOrderBy_ThrowsInvalidParameter()
    {
        var error = Assert.Throws<KeelException>(() => RunSearchSql.Build([_experiment], ViewType.ActiveOnly, null, ["metrics.rmse sideways"], 10, 0));

        Assert.Equal(ErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    private IReadOnlyList<string> Search(string? filter, IReadOnlyList<string>? orderBy = null) =>
        _db.RunIds(RunSearchSql.Build([_experiment], ViewType.ActiveOnly, filter, orderBy, 100, 0));
}
