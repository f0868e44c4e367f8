using System.Data.Common;
using Keel.Core.Gates;
using Keel.Core.Storage;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

internal sealed partial class RegistryStore
{
    private const string Ready = "READY";

    public async Task<ModelVersion> CreateModelVersionAsync(
        string? name, string? source, string? runId, IReadOnlyList<KeyValue> tags, string? runLink, string? description, string actor,
        CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        var sourceUri = Validation.Required(source, "source");
        RegistryValidation.Tags(tags, "Model version");
        foreach (var tag in tags)
        {
            Gate.RefuseReservedTag(tag.Key);
        }

        var distinct = RegistryValidation.Distinct(tags);
        // Resolved before the write: it reads runs and other versions, and a source that names nothing fails the request.
        var (storageLocation, resolvedRunId) = await ResolveSourceAsync(sourceUri, string.IsNullOrEmpty(runId) ? null : runId, ct);
        distinct = [.. distinct, .. await CheckPackageAsync(storageLocation, ct)];

        var version = await writes.ExecuteAsync(ctx =>
        {
            var now = Now();
            // The number comes from the model row inside this transaction: the UPDATE takes the row's write lock
            // (the database's, on SQLite; the row's, on PostgreSQL), so concurrent creators on any number of
            // servers get consecutive numbers and never the same one.
            long modelId, number;
            using (DbDataReader reader = ctx.Query(
                "UPDATE registered_models SET last_version = last_version + 1, last_updated_time = @p0 WHERE name = @p1 RETURNING model_id, last_version",
                now, modelName))
            {
                if (!reader.Read())
                {
                    throw ModelNotFound(modelName);
                }

                (modelId, number) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            ctx.Execute(
                "INSERT INTO model_versions(model_id, version, creation_time, last_updated_time, description, user_id, current_stage, " +
                "source, storage_location, run_id, run_link, status, status_message) " +
                "VALUES (@p0, @p1, @p2, @p2, @p3, NULL, @p4, @p5, @p6, @p7, @p8, @p9, NULL)",
                modelId, number, now, description, ModelStages.None, sourceUri, storageLocation, resolvedRunId, runLink, Ready);
            foreach (var tag in distinct)
            {
                UpsertVersionTag(ctx, modelId, number, tag);
            }

            RegistryEvents.Append(ctx, now, actor, RegistryEvents.ModelVersionCreated, modelName, number, new
            {
                name = modelName,
                version = number.ToString(),
                source = sourceUri,
                run_id = resolvedRunId,
                tags = RegistryEvents.TagMap(distinct),
                description,
            });
            return number;
        }, ct);

        return await GetModelVersionAsync(modelName, version.ToString(), ct);
    }

    public async Task<ModelVersion> UpdateModelVersionAsync(string? name, string? version, string? description, string actor, CancellationToken ct = default)
    {
        var (modelName, number) = (RegistryValidation.ModelName(name), RegistryValidation.Version(version));
        await writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            RequireVersion(ctx, id, modelName, number);
            var now = Now();
            ctx.Execute("UPDATE model_versions SET description = @p0, last_updated_time = @p1 WHERE model_id = @p2 AND version = @p3",
                description, now, id, number);
            RegistryEvents.Append(ctx, now, actor, RegistryEvents.ModelVersionUpdated, modelName, number,
                new { name = modelName, version = number.ToString(), description });
        }, ct);
        return await GetModelVersionAsync(modelName, number.ToString(), ct);
    }

    /// <summary>
    /// Deletes a version, its tags and the aliases pointing at it (MLflow drops those aliases too). Unlike MLflow,
    /// which keeps a redacted row so the number is not reused, the row goes: the model's last_version already
    /// guarantees that.
    /// </summary>
    public Task DeleteModelVersionAsync(string? name, string? version, string actor, CancellationToken ct = default)
    {
        var (modelName, number) = (RegistryValidation.ModelName(name), RegistryValidation.Version(version));
        return writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            RequireVersion(ctx, id, modelName, number);
            var now = Now();
            foreach (var alias in ReadAliases(ctx, id, number))
            {
                ctx.Execute("DELETE FROM registered_model_aliases WHERE model_id = @p0 AND alias = @p1", id, alias.Alias);
                RegistryEvents.Append(ctx, now, actor, RegistryEvents.ModelVersionAliasDeleted, modelName, number,
                    new { name = modelName, alias = alias.Alias, version = number.ToString() });
            }

            ctx.Execute("DELETE FROM model_version_tags WHERE model_id = @p0 AND version = @p1", id, number);
            ctx.Execute("DELETE FROM model_versions WHERE model_id = @p0 AND version = @p1", id, number);
            TouchModel(ctx, id, now);
            RegistryEvents.Append(ctx, now, actor, RegistryEvents.ModelVersionDeleted, modelName, number,
                new { name = modelName, version = number.ToString() });
        }, ct);
    }

    public async Task<ModelVersion> TransitionStageAsync(
        string? name, string? version, string? stage, bool archiveExistingVersions, string actor, CancellationToken ct = default)
    {
        var (modelName, number) = (RegistryValidation.ModelName(name), RegistryValidation.Version(version));
        var target = ModelStages.Canonical(Validation.Required(stage, "stage"));
        if (archiveExistingVersions && !ModelStages.Active.Contains(target))
        {
            throw KeelException.InvalidParameter(
                $"Model version transition cannot archive existing model versions because '{stage}' is not an Active stage. " +
                $"Valid stages are {string.Join(", ", ModelStages.Active)}");
        }

        await writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            var from = RequireVersion(ctx, id, modelName, number);
            var now = Now();
            if (archiveExistingVersions)
            {
                var archived = new List<long>();
                using (DbDataReader reader = ctx.Query(
                    "UPDATE model_versions SET current_stage = @p0, last_updated_time = @p1 " +
                    "WHERE model_id = @p2 AND current_stage = @p3 AND version <> @p4 RETURNING version",
                    ModelStages.Archived, now, id, target, number))
                {
                    while (reader.Read())
                    {
                        archived.Add(reader.GetInt64(0));
                    }
                }

                foreach (var other in archived.Order())
                {
                    RegistryEvents.Append(ctx, now, actor, RegistryEvents.ModelVersionTransitionedStage, modelName, other,
                        new { name = modelName, version = other.ToString(), from_stage = target, to_stage = ModelStages.Archived });
                }
            }

            ctx.Execute("UPDATE model_versions SET current_stage = @p0, last_updated_time = @p1 WHERE model_id = @p2 AND version = @p3",
                target, now, id, number);
            TouchModel(ctx, id, now);
            RegistryEvents.Append(ctx, now, actor, RegistryEvents.ModelVersionTransitionedStage, modelName, number, new
            {
                name = modelName,
                version = number.ToString(),
                from_stage = from,
                to_stage = target,
                archive_existing_versions = archiveExistingVersions,
            });
        }, ct);
        return await GetModelVersionAsync(modelName, number.ToString(), ct);
    }

    public Task SetModelVersionTagAsync(string? name, string? version, string? key, string? value, string actor, CancellationToken ct = default)
    {
        var (modelName, number) = (RegistryValidation.ModelName(name), RegistryValidation.Version(version));
        RegistryValidation.Tag(key, value, "Model version");
        Gate.RefuseReservedTag(key);
        var tag = new KeyValue(key!, value ?? "");
        return writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            RequireVersion(ctx, id, modelName, number);
            UpsertVersionTag(ctx, id, number, tag);
            RegistryEvents.Append(ctx, Now(), actor, RegistryEvents.ModelVersionTagSet, modelName, number,
                new { name = modelName, version = number.ToString(), key = tag.Key, value = tag.Value });
        }, ct);
    }

    public Task DeleteModelVersionTagAsync(string? name, string? version, string? key, string actor, CancellationToken ct = default)
    {
        var (modelName, number) = (RegistryValidation.ModelName(name), RegistryValidation.Version(version));
        Validation.TagName(key);
        Gate.RefuseReservedTag(key);
        return writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            RequireVersion(ctx, id, modelName, number);
            if (ctx.Execute("DELETE FROM model_version_tags WHERE model_id = @p0 AND version = @p1 AND key = @p2", id, number, key) > 0)
            {
                RegistryEvents.Append(ctx, Now(), actor, RegistryEvents.ModelVersionTagDeleted, modelName, number,
                    new { name = modelName, version = number.ToString(), key });
            }
        }, ct);
    }

    private static void UpsertVersionTag(WriteContext ctx, long modelId, long version, KeyValue tag) =>
        ctx.Execute(
            "INSERT INTO model_version_tags(model_id, version, key, value) VALUES (@p0, @p1, @p2, @p3) " +
            "ON CONFLICT(model_id, version, key) DO UPDATE SET value = excluded.value", modelId, version, tag.Key, tag.Value);
}
