using Keel.Core.Storage;

namespace Keel.Core.Tracking;

internal sealed partial class TrackingStore
{
    private static readonly string[] RunStatuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

    public async Task<Run> CreateRunAsync(
        string? experimentId, string? userId, string? runName, long? startTime, IReadOnlyList<KeyValue> tags, CancellationToken ct = default)
    {
        var expId = ParseExperimentId(string.IsNullOrEmpty(experimentId) ? "0" : experimentId);
        Validation.Tags(tags);

        var nameTag = tags.LastOrDefault(t => t.Key == RunNameTag)?.Value;
        if (!string.IsNullOrEmpty(runName) && nameTag is not null && nameTag != runName)
        {
            throw KeelException.InvalidParameter(
                $"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{runName}', mlflow.runName='{nameTag}').");
        }

        var name = !string.IsNullOrEmpty(runName) ? runName : !string.IsNullOrEmpty(nameTag) ? nameTag : RunNames.Generate();
        var user = userId ?? tags.LastOrDefault(t => t.Key == UserTag)?.Value ?? "";
        var runId = Guid.NewGuid().ToString("N");

        await writes.ExecuteAsync(ctx =>
        {
            using (var reader = ctx.Query("SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = @p0", expId))
            {
                if (!reader.Read())
                {
                    throw ExperimentNotFound(expId.ToString());
                }

                if (reader.GetString(0) != Active)
                {
                    throw new KeelException(ErrorCodes.InvalidState,
                        $"The experiment {expId} must be in the 'active' state. Current state is deleted.");
                }

                var artifactUri = ArtifactUris.ForRun(reader.GetString(1), runId);
                reader.Close();
                var runKey = (long)ctx.Scalar(
                    "INSERT INTO runs(run_uuid, name, experiment_id, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri) " +
                    "VALUES (@p0, @p1, @p2, @p3, 'RUNNING', @p4, NULL, 'active', @p5) RETURNING run_key",
                    runId, name, expId, user, startTime ?? Now(), artifactUri)!;
                foreach (var tag in tags.Where(t => t.Key != RunNameTag))
                {
                    UpsertRunTag(ctx, runKey, tag.Key, tag.Value);
                }

                UpsertRunTag(ctx, runKey, RunNameTag, name);
            }
        }, ct);

        return await GetRunAsync(runId, ct);
    }

    public async Task<RunInfo> UpdateRunAsync(string? runId, string? status, long? endTime, string? runName, CancellationToken ct = default)
    {
        Validation.RunId(runId);
        if (status is not null && !RunStatuses.Contains(status))
        {
            throw KeelException.InvalidParameter($"Invalid value {status} for parameter 'status' supplied.");
        }

        await writes.ExecuteAsync(runId!, ctx =>
        {
            var run = ActiveRun(ctx, runId!);
            ctx.Execute(
                "UPDATE runs SET status = COALESCE(@p0, status), end_time = COALESCE(@p1, end_time), name = COALESCE(@p2, name) WHERE run_key = @p3",
                status, endTime, string.IsNullOrEmpty(runName) ? null : runName, run);
            if (!string.IsNullOrEmpty(runName))
            {
                UpsertRunTag(ctx, run, RunNameTag, runName);
            }
        }, ct);

        return (await GetRunAsync(runId!, ct)).Info;
    }

    public Task DeleteRunAsync(string? runId, CancellationToken ct = default) => SetRunStageAsync(runId, Deleted, ct);

    public Task RestoreRunAsync(string? runId, CancellationToken ct = default) => SetRunStageAsync(runId, Active, ct);

    private Task SetRunStageAsync(string? runId, string stage, CancellationToken ct)
    {
        Validation.RunId(runId);
        return writes.ExecuteAsync(runId!, ctx =>
        {
            if (ctx.Execute("UPDATE runs SET lifecycle_stage = @p0, deleted_time = @p1 WHERE run_uuid = @p2",
                    stage, stage == Deleted ? Now() : null, runId) == 0)
            {
                throw RunNotFound(runId!);
            }
        }, ct);
    }

    /// <summary>The run's key, after checking that it exists and accepts writes (MLflow refuses logging to deleted runs).</summary>
    private static long ActiveRun(WriteContext ctx, string runId)
    {
        if (ctx.TransactionCache.TryGetValue(runId, out var cached))
        {
            return (long)cached;
        }

        using var reader = ctx.Query("SELECT run_key, lifecycle_stage FROM runs WHERE run_uuid = @p0", runId);
        if (!reader.Read())
        {
            throw RunNotFound(runId);
        }

        if (reader.GetString(1) != Active)
        {
            throw KeelException.InvalidParameter($"The run {runId} must be in the 'active' state. Current state is {reader.GetString(1)}.");
        }

        var key = reader.GetInt64(0);
        ctx.TransactionCache[runId] = key;
        return key;
    }

    private static void UpsertRunTag(WriteContext ctx, long runKey, string key, string value) =>
        ctx.Execute("INSERT INTO tags(run_key, key, value) VALUES (@p0, @p1, @p2) ON CONFLICT(run_key, key) DO UPDATE SET value = excluded.value",
            runKey, key, value);

    private static KeelException RunNotFound(string runId) => KeelException.NotFound($"Run with id={runId} not found");
}
