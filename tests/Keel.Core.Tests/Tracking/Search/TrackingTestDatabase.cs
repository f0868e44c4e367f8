using Dapper;
using Keel.Core.Tracking.Search;
using Microsoft.Data.Sqlite;

namespace Keel.Core.Tests.Tracking.Search;

/// <summary>
/// An in-memory SQLite database with the tracking schema. The DDL stands in for the EF migrations until they exist;
/// it lives only here so it is easy to replace.
/// </summary>
internal sealed class TrackingTestDatabase : IDisposable
{
    public const string Schema = """
        CREATE TABLE experiments(experiment_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, artifact_location TEXT NOT NULL, lifecycle_stage TEXT NOT NULL, creation_time INTEGER NOT NULL, last_update_time INTEGER NOT NULL);
        CREATE TABLE experiment_tags(experiment_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(experiment_id, key));
        CREATE TABLE runs(run_key INTEGER PRIMARY KEY AUTOINCREMENT, run_uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL, experiment_id INTEGER NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL, start_time INTEGER NOT NULL, end_time INTEGER NULL, lifecycle_stage TEXT NOT NULL, artifact_uri TEXT NOT NULL, deleted_time INTEGER NULL);
        CREATE TABLE params(run_key INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_key, key));
        CREATE TABLE tags(run_key INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_key, key));
        CREATE TABLE latest_metrics(run_key INTEGER NOT NULL, key TEXT NOT NULL, value REAL NOT NULL, timestamp INTEGER NOT NULL, step INTEGER NOT NULL, is_nan INTEGER NOT NULL, PRIMARY KEY(run_key, key));
        CREATE TABLE datasets(dataset_id INTEGER PRIMARY KEY AUTOINCREMENT, experiment_id INTEGER NOT NULL, name TEXT NOT NULL, digest TEXT NOT NULL, source_type TEXT NOT NULL, source TEXT NOT NULL, schema TEXT NULL, profile TEXT NULL, UNIQUE(experiment_id, name, digest));
        CREATE TABLE inputs(run_key INTEGER NOT NULL, dataset_id INTEGER NOT NULL, PRIMARY KEY(run_key, dataset_id));
        CREATE TABLE input_tags(run_key INTEGER NOT NULL, dataset_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_key, dataset_id, key));
        CREATE INDEX ix_latest_metrics_key_value ON latest_metrics(key, value);
        CREATE INDEX ix_runs_experiment_stage_start ON runs(experiment_id, lifecycle_stage, start_time);
        """;

    private readonly Dictionary<long, string> _runIds = [];

    public TrackingTestDatabase()
    {
        Connection = new SqliteConnection("Data Source=:memory:");
        Connection.Open();
        // The store turns this on for its read connections so that LIKE is case-sensitive, as in MLflow.
        Connection.Execute("PRAGMA case_sensitive_like = ON;");
        Connection.Execute(Schema);
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
    public IReadOnlyList<string> RunIds(SqlQuery query) =>
        Connection.Query<long>(query.Sql, new DynamicParameters(query.Parameters)).Select(key => _runIds[key]).ToList();

    public IReadOnlyList<long> ExperimentIds(SqlQuery query) =>
        Connection.Query<long>(query.Sql, new DynamicParameters(query.Parameters)).ToList();

    public void Dispose() => Connection.Dispose();
}
