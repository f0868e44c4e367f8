using System.Data.Common;
using Keel.Core.Storage;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

internal sealed partial class RegistryStore
{
    public async Task<RegisteredModel> CreateRegisteredModelAsync(
        string? name, IReadOnlyList<KeyValue> tags, string? description, string actor, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        RegistryValidation.Tags(tags, "Registered model");
        var distinct = RegistryValidation.Distinct(tags);
        try
        {
            await writes.ExecuteAsync(ctx =>
            {
                var now = Now();
                // The unique index on name decides a race between two creators, on one server or several.
                var id = (long)ctx.Scalar(
                    "INSERT INTO registered_models(name, creation_time, last_updated_time, description, last_version) " +
                    "VALUES (@p0, @p1, @p1, @p2, 0) RETURNING model_id", modelName, now, description)!;
                foreach (var tag in distinct)
                {
                    UpsertModelTag(ctx, id, tag);
                }

                RegistryEvents.Append(ctx, now, actor, RegistryEvents.RegisteredModelCreated, modelName, null,
                    new { name = modelName, tags = RegistryEvents.TagMap(distinct), description });
            }, ct);
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            throw ModelNameTaken(modelName);
        }

        return await GetRegisteredModelAsync(modelName, ct);
    }

    public async Task<RegisteredModel> RenameRegisteredModelAsync(string? name, string? newName, string actor, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        var target = RegistryValidation.NewModelName(newName);
        try
        {
            await writes.ExecuteAsync(ctx =>
            {
                var id = RequireModelId(ctx, modelName);
                var now = Now();
                ctx.Execute("UPDATE registered_models SET name = @p0, last_updated_time = @p1 WHERE model_id = @p2", target, now, id);
                // MLflow renames every version with its model and counts that as an update of each.
                ctx.Execute("UPDATE model_versions SET last_updated_time = @p0 WHERE model_id = @p1", now, id);
                RegistryEvents.Append(ctx, now, actor, RegistryEvents.RegisteredModelRenamed, target, null,
                    new { name = modelName, new_name = target });
            }, ct);
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            throw ModelNameTaken(target);
        }

        return await GetRegisteredModelAsync(target, ct);
    }

    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string? name, string? description, string actor, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        await writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            var now = Now();
            ctx.Execute("UPDATE registered_models SET description = @p0, last_updated_time = @p1 WHERE model_id = @p2", description, now, id);
            RegistryEvents.Append(ctx, now, actor, RegistryEvents.RegisteredModelUpdated, modelName, null, new { name = modelName, description });
        }, ct);
        return await GetRegisteredModelAsync(modelName, ct);
    }

    /// <summary>Deletes the model with its versions, tags and aliases, as MLflow's SQL store cascades.</summary>
    public Task DeleteRegisteredModelAsync(string? name, string actor, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        return writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            var versions = (long)ctx.Scalar("SELECT COUNT(*) FROM model_versions WHERE model_id = @p0", id)!;
            var aliases = ReadAliases(ctx, id);
            ctx.Execute("DELETE FROM model_version_tags WHERE model_id = @p0", id);
            ctx.Execute("DELETE FROM model_versions WHERE model_id = @p0", id);
            ctx.Execute("DELETE FROM registered_model_aliases WHERE model_id = @p0", id);
            ctx.Execute("DELETE FROM registered_model_tags WHERE model_id = @p0", id);
            ctx.Execute("DELETE FROM registered_models WHERE model_id = @p0", id);
            RegistryEvents.Append(ctx, Now(), actor, RegistryEvents.RegisteredModelDeleted, modelName, null, new
            {
                name = modelName,
                deleted_versions = versions,
                deleted_aliases = aliases.Select(a => new { alias = a.Alias, version = a.Version.ToString() }).ToList(),
            });
        }, ct);
    }

    public Task SetRegisteredModelTagAsync(string? name, string? key, string? value, string actor, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        RegistryValidation.Tag(key, value, "Registered model");
        var tag = new KeyValue(key!, value ?? "");
        return writes.ExecuteAsync(ctx =>
        {
            UpsertModelTag(ctx, RequireModelId(ctx, modelName), tag);
            RegistryEvents.Append(ctx, Now(), actor, RegistryEvents.RegisteredModelTagSet, modelName, null,
                new { name = modelName, key = tag.Key, value = tag.Value });
        }, ct);
    }

    /// <summary>Deleting a tag that is not there is not an error, as in MLflow's SQL store; it logs no event either.</summary>
    public Task DeleteRegisteredModelTagAsync(string? name, string? key, string actor, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        Validation.TagName(key);
        return writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            if (ctx.Execute("DELETE FROM registered_model_tags WHERE model_id = @p0 AND key = @p1", id, key) > 0)
            {
                RegistryEvents.Append(ctx, Now(), actor, RegistryEvents.RegisteredModelTagDeleted, modelName, null, new { name = modelName, key });
            }
        }, ct);
    }

    private static void UpsertModelTag(WriteContext ctx, long modelId, KeyValue tag) =>
        ctx.Execute(
            "INSERT INTO registered_model_tags(model_id, key, value) VALUES (@p0, @p1, @p2) " +
            "ON CONFLICT(model_id, key) DO UPDATE SET value = excluded.value", modelId, tag.Key, tag.Value);

    private static List<ModelAlias> ReadAliases(WriteContext ctx, long modelId, long? version = null)
    {
        var aliases = new List<ModelAlias>();
        using DbDataReader reader = version is null
            ? ctx.Query("SELECT alias, version FROM registered_model_aliases WHERE model_id = @p0 ORDER BY alias", modelId)
            : ctx.Query("SELECT alias, version FROM registered_model_aliases WHERE model_id = @p0 AND version = @p1 ORDER BY alias", modelId, version);
        while (reader.Read())
        {
            aliases.Add(new ModelAlias(reader.GetString(0), reader.GetInt64(1)));
        }

        return aliases;
    }
}
