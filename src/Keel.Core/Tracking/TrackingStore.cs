using Keel.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Keel.Core.Tracking;

/// <summary>
/// Experiments and runs with MLflow's semantics. Writes go through the group-commit
/// <see cref="WriteQueue"/>; reads open their own pooled connections and run beside it (WAL).
/// </summary>
internal sealed partial class TrackingStore(SqliteDatabase database, WriteQueue writes, TimeProvider clock)
{
    public const string Active = "active";
    public const string Deleted = "deleted";
    public const string RunNameTag = "mlflow.runName";
    public const string UserTag = "mlflow.user";
    public const long DefaultExperimentId = 0;

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>MLflow servers always have experiment 0, "Default"; clients log there when no experiment is set.</summary>
    public Task EnsureDefaultExperimentAsync(CancellationToken ct = default) => writes.ExecuteAsync(ctx =>
    {
        var now = Now();
        ctx.Execute(
            "INSERT INTO experiments(experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) " +
            "VALUES (@p0, 'Default', @p1, 'active', @p2, @p2) ON CONFLICT DO NOTHING",
            DefaultExperimentId, ArtifactUris.ForExperiment(DefaultExperimentId), now);
    }, ct);

    private static LifecycleStage Stage(string value) => value == Deleted ? LifecycleStage.Deleted : LifecycleStage.Active;

    private static bool IsUniqueViolation(Exception e) => DatabaseErrors.IsUniqueViolation(e);

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableLong(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
