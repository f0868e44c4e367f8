using Dapper;
using Keel.Core.Storage;
using Keel.Core.Tracking.Search;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Tests.Tracking.Search;

/// <summary>
/// An in-memory SQLite database with the tracking schema, created by the server's own migrations.
/// </summary>
internal sealed class TrackingTestDatabase : IDisposable
{
    private readonly Dictionary<long, string> _runIds = [];

    public TrackingTestDatabase()
    {
        Connection = new SqliteConnection("Data Source=:memory:");
        Connection.Open();
        // The store turns this on for its read connections so that LIKE is case-sensitive, as in MLflow.
        Connection.Execute("PRAGMA case_sensitive_like = ON;");
        // The real schema, from the same migrations the server applies.
        using var db = new KeelDbContext(new DbContextOptionsBuilder<KeelDbContext>().UseSqlite(Connection).Options);
        db.Database.Migrate();
    }

    public SqliteConnection Connection { get; }

    public long AddExperiment(
        string name, long creationTime = 0, long? lastUpdateTime = null, string lifecycleStage = "active", params (string Key, string Value)[] tags)
    {
        var id = Connection.ExecuteScalar<long>(
            """
            INSERT INTO experiments(name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (@name, @location, @lifecycleStage, @creationTime, @lastUpdateTime) RETURNING experiment_id
            """,
            new { name, location = "file:///mlruns/" + name, lifecycleStage, creationTime, lastUpdateTime = lastUpdateTime ?? creationTime });
        foreach (var (key, value) in tags)
        {
            Connection.Execute("INSERT INTO experiment_tags VALUES (@id, @key, @value)", new { id, key, value });
        }

        return id;
    }

    public long AddRun(
        long experimentId, string runId, string name = "run", long startTime = 0, long? endTime = null,
        string status = "FINISHED", string userId = "alice", string lifecycleStage = "active", string? artifactUri = null)
    {
        var runKey = Connection.ExecuteScalar<long>(
            """
            INSERT INTO runs(run_uuid, name, experiment_id, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
            VALUES (@runId, @name, @experimentId, @userId, @status, @startTime, @endTime, @lifecycleStage, @artifactUri) RETURNING run_key
            """,
            new { runId, name, experimentId, userId, status, startTime, endTime, lifecycleStage, artifactUri = artifactUri ?? $"file:///mlruns/{experimentId}/{runId}/artifacts" });
        _runIds[runKey] = runId;
        return runKey;
    }

    public void AddMetric(long runKey, string key, double value)
    {
        // NaN is stored as 0 with is_nan set, as MLflow's SQL store does.
        var isNan = double.IsNaN(value);
        Connection.Execute(
            "INSERT INTO latest_metrics VALUES (@runKey, @key, @value, 0, 0, @isNan)",
            new { runKey, key, value = isNan ? 0 : value, isNan = isNan ? 1 : 0 });
    }

    public void AddParam(long runKey, string key, string value) =>
        Connection.Execute("INSERT INTO params VALUES (@runKey, @key, @value)", new { runKey, key, value });

    public void AddTag(long runKey, string key, string value) =>
        Connection.Execute("INSERT INTO tags VALUES (@runKey, @key, @value)", new { runKey, key, value });

    public void AddDatasetInput(long runKey, long experimentId, string name, string digest, string? context = null)
    {
        var datasetId = Connection.ExecuteScalar<long?>(
            "SELECT dataset_id FROM datasets WHERE experiment_id = @experimentId AND name = @name AND digest = @digest",
            new { experimentId, name, digest })
            ?? Connection.ExecuteScalar<long>(
                """
                INSERT INTO datasets(experiment_id, name, digest, source_type, source)
                VALUES (@experimentId, @name, @digest, 'local', '{}') RETURNING dataset_id
                """,
                new { experimentId, name, digest });
        Connection.Execute("INSERT INTO inputs VALUES (@runKey, @datasetId)", new { runKey, datasetId });
        if (context is not null)
        {
            Connection.Execute(
                "INSERT INTO input_tags VALUES (@runKey, @datasetId, 'mlflow.data.context', @context)", new { runKey, datasetId, context });
        }
    }

    /// <summary>Runs a run query and maps the returned run_keys back to run ids, keeping the order.</summary>
    /// <summary>The page a search returns: the parts' rows in turn, then the offset and limit, as the store reads them.</summary>
    public IReadOnlyList<string> RunIds(RunSearchQuery query) => query.Parts
        .SelectMany(part => Connection.Query<long>(part.Sql, new DynamicParameters(part.Parameters)))
        .Take(query.Window).Skip(query.Offset).Select(key => _runIds[key]).ToList();

    public IReadOnlyList<long> ExperimentIds(SqlQuery query) =>
        Connection.Query<long>(query.Sql, new DynamicParameters(query.Parameters)).ToList();

    public void Dispose() => Connection.Dispose();
}
