using Keel.Core.Storage;
using System.Data.Common;

namespace Keel.Core.Tracking;

internal sealed partial class TrackingStore
{
    private const string ExperimentColumns = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    public async Task<long> CreateExperimentAsync(string? name, string? artifactLocation, IReadOnlyList<KeyValue> tags, CancellationToken ct = default)
    {
        Validation.ExperimentName(name);
        Validation.Tags(tags);

        if (artifactLocation is not null && artifactLocation.StartsWith("runs:", StringComparison.Ordinal))
        {
            throw KeelException.InvalidParameter(
                $"Artifact location cannot be a runs:/ URI. Given value: {artifactLocation}");
        }

        try
        {
            return await writes.ExecuteAsync(ctx =>
            {
                var stage = ctx.Scalar("SELECT lifecycle_stage FROM experiments WHERE name = @p0", name) as string;
                if (stage is not null)
                {
                    throw ExperimentNameTaken(name!, stage);
                }

                var now = Now();
                var id = (long)ctx.Scalar(
                    "INSERT INTO experiments(name, artifact_location, lifecycle_stage, creation_time, last_update_time) " +
                    "VALUES (@p0, '', 'active', @p1, @p1) RETURNING experiment_id", name, now)!;
                ctx.Execute("UPDATE experiments SET artifact_location = @p0 WHERE experiment_id = @p1",
                    string.IsNullOrEmpty(artifactLocation) ? ArtifactUris.ForExperiment(id) : artifactLocation, id);
                foreach (var tag in tags)
                {
                    UpsertExperimentTag(ctx, id, tag.Key, tag.Value);
                }

                return id;
            }, ct);
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            throw ExperimentNameTaken(name!, Active);
        }
    }

    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken ct = default)
    {
        var id = ParseExperimentId(experimentId);
        await using var connection = await database.OpenReadAsync(ct);
        var experiments = await LoadExperimentsAsync(connection, "experiment_id = @id", ("@id", id), ct);
        return experiments.Count == 1 ? experiments[0] : throw ExperimentNotFound(experimentId);
    }

    public async Task<Experiment> GetExperimentByNameAsync(string? name, CancellationToken ct = default)
    {
        var required = Validation.Required(name, "experiment_name");
        await using var connection = await database.OpenReadAsync(ct);
        var experiments = await LoadExperimentsAsync(connection, "name = @name", ("@name", required), ct);
        return experiments.Count == 1
            ? experiments[0]
            : throw KeelException.NotFound($"Could not find experiment with name '{name}'");
    }

    public Task RenameExperimentAsync(string experimentId, string? newName, CancellationToken ct = default)
    {
        var id = ParseExperimentId(experimentId);
        Validation.ExperimentName(newName);
        return writes.ExecuteAsync(ctx =>
        {
            if (RequireExperimentStage(ctx, id, experimentId) != Active)
            {
                throw new KeelException(ErrorCodes.InvalidState, "Cannot rename a non-active experiment.");
            }

            if (ctx.Scalar("SELECT lifecycle_stage FROM experiments WHERE name = @p0 AND experiment_id <> @p1", newName, id) is string stage)
            {
                throw ExperimentNameTaken(newName!, stage);
            }

            ctx.Execute("UPDATE experiments SET name = @p0, last_update_time = @p1 WHERE experiment_id = @p2", newName, Now(), id);
        }, ct);
    }

    public Task DeleteExperimentAsync(string experimentId, CancellationToken ct = default) =>
        SetExperimentStageAsync(experimentId, Deleted, ct);

    public Task RestoreExperimentAsync(string experimentId, CancellationToken ct = default) =>
        SetExperimentStageAsync(experimentId, Active, ct);

    // Like MLflow 2.x, deleting an experiment deletes its runs and restoring it restores them.
    private Task SetExperimentStageAsync(string experimentId, string stage, CancellationToken ct)
    {
        var id = ParseExperimentId(experimentId);
        return writes.ExecuteAsync(ctx =>
        {
            var current = RequireExperimentStage(ctx, id, experimentId);
            if (current == stage)
            {
                throw new KeelException(ErrorCodes.InvalidState,
                    $"Cannot {(stage == Deleted ? "delete" : "restore")} experiment {experimentId}: it is already {current}.");
            }

            var now = Now();
            ctx.Execute("UPDATE experiments SET lifecycle_stage = @p0, last_update_time = @p1 WHERE experiment_id = @p2", stage, now, id);
            ctx.Execute("UPDATE runs SET lifecycle_stage = @p0, deleted_time = @p1 WHERE experiment_id = @p2",
                stage, stage == Deleted ? now : null, id);
        }, ct);
    }

    public Task SetExperimentTagAsync(string experimentId, string? key, string? value, CancellationToken ct = default)
    {
        var id = ParseExperimentId(experimentId);
        Validation.TagName(key);
        Validation.TagValue(key!, value);
        return writes.ExecuteAsync(ctx =>
        {
            RequireActiveExperiment(ctx, id, experimentId);
            UpsertExperimentTag(ctx, id, key!, value ?? "");
        }, ct);
    }

    public Task DeleteExperimentTagAsync(string experimentId, string? key, CancellationToken ct = default)
    {
        var id = ParseExperimentId(experimentId);
        Validation.TagName(key);
        return writes.ExecuteAsync(ctx =>
        {
            RequireActiveExperiment(ctx, id, experimentId);
            if (ctx.Execute("DELETE FROM experiment_tags WHERE experiment_id = @p0 AND key = @p1", id, key) == 0)
            {
                throw KeelException.NotFound($"No tag with name: {key} in experiment with id {experimentId}");
            }
        }, ct);
    }

    private static void UpsertExperimentTag(WriteContext ctx, long id, string key, string value) =>
        ctx.Execute(
            "INSERT INTO experiment_tags(experiment_id, key, value) VALUES (@p0, @p1, @p2) " +
            "ON CONFLICT(experiment_id, key) DO UPDATE SET value = excluded.value", id, key, value);

    private static string RequireExperimentStage(WriteContext ctx, long id, string experimentId) =>
        ctx.Scalar("SELECT lifecycle_stage FROM experiments WHERE experiment_id = @p0", id) as string
        ?? throw ExperimentNotFound(experimentId);

    private static void RequireActiveExperiment(WriteContext ctx, long id, string experimentId)
    {
        if (RequireExperimentStage(ctx, id, experimentId) != Active)
        {
            throw new KeelException(ErrorCodes.InvalidState, $"The experiment {experimentId} must be in the 'active' state. Current state is deleted.");
        }
    }

    private async Task<List<Experiment>> LoadExperimentsAsync(
        DbConnection connection, string where, (string Name, object Value) parameter, CancellationToken ct)
    {
        var rows = new List<(long Id, string Name, string Location, string Stage, long Created, long Updated)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {ExperimentColumns} FROM experiments WHERE {where}";
            command.AddParameter(parameter.Name, parameter.Value);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5)));
            }
        }

        var tags = await LoadExperimentTagsAsync(connection, rows.Select(r => r.Id).ToList(), ct);
        return rows.Select(r => new Experiment(r.Id, r.Name, r.Location, Stage(r.Stage), r.Created, r.Updated,
            tags.TryGetValue(r.Id, out var t) ? t : [])).ToList();
    }

    private async Task<Dictionary<long, List<KeyValue>>> LoadExperimentTagsAsync(DbConnection connection, List<long> ids, CancellationToken ct)
    {
        var tags = new Dictionary<long, List<KeyValue>>();
        if (ids.Count == 0)
        {
            return tags;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id {database.InList("@ids")} ORDER BY key";
        command.AddParameter("@ids", database.ListValue(ids));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            if (!tags.TryGetValue(id, out var list))
            {
                tags[id] = list = [];
            }

            list.Add(new KeyValue(reader.GetString(1), reader.GetString(2)));
        }

        return tags;
    }

    private static long ParseExperimentId(string? experimentId)
    {
        var required = Validation.Required(experimentId, "experiment_id");
        return long.TryParse(required, System.Globalization.NumberStyles.None, null, out var id)
            ? id
            : throw ExperimentNotFound(required);
    }

    private static KeelException ExperimentNotFound(string experimentId) =>
        KeelException.NotFound($"No Experiment with id={experimentId} exists");

    private static KeelException ExperimentNameTaken(string name, string stage) => stage == Deleted
        ? KeelException.AlreadyExists(
            $"Experiment(name={name}) already exists in deleted state. You can restore the experiment, or rename it before creating a new one.")
        : KeelException.AlreadyExists($"Experiment(name={name}) already exists.");
}
