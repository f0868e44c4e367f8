using System.Data.Common;
using Keel.Core.Tracking;
using Keel.Core.Tracking.Search;

namespace Keel.Core.Registry;

internal sealed partial class RegistryStore
{
    // Child rows are read for many models at once with IN lists of individual parameters, in chunks that stay
    // far below SQLite's and PostgreSQL's parameter limits.
    private const int IdsPerQuery = 500;

    public async Task<RegisteredModel> GetRegisteredModelAsync(string? name, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        await using var connection = await database.OpenReadAsync(ct);
        var models = await LoadModelsAsync(connection,
            Query($"SELECT {RegistrySearchSql.ModelColumns} FROM registered_models rm WHERE rm.name = @p0", modelName), ct);
        return models.Count == 1 ? models[0] : throw ModelNotFound(modelName);
    }

    public async Task<ModelVersion> GetModelVersionAsync(string? name, string? version, CancellationToken ct = default)
    {
        var (modelName, number) = (RegistryValidation.ModelName(name), RegistryValidation.Version(version));
        await using var connection = await database.OpenReadAsync(ct);
        return await LoadVersionAsync(connection, modelName, number, ct) ?? throw VersionNotFound(modelName, number);
    }

    /// <summary>The latest version in each requested stage (all stages when none are given), as MLflow answers.</summary>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string? name, IReadOnlyList<string>? stages, CancellationToken ct = default)
    {
        var wanted = (stages is { Count: > 0 } ? stages : ModelStages.All).Select(ModelStages.Canonical).ToHashSet(StringComparer.Ordinal);
        var model = await GetRegisteredModelAsync(name, ct);
        return model.LatestVersions.Where(v => wanted.Contains(v.CurrentStage)).ToList();
    }

    /// <summary>MLflow answers an unknown alias (or model) with INVALID_PARAMETER_VALUE, not RESOURCE_DOES_NOT_EXIST.</summary>
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string? name, string? alias, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        var aliasName = RegistryValidation.Alias(alias);
        await using var connection = await database.OpenReadAsync(ct);
        var versions = await LoadVersionsAsync(connection, Query(
            $"SELECT {RegistrySearchSql.VersionColumns} FROM {RegistrySearchSql.VersionTables} " +
            "JOIN registered_model_aliases a ON a.model_id = mv.model_id AND a.version = mv.version WHERE rm.name = @p0 AND a.alias = @p1",
            modelName, aliasName), ct);
        return versions.Count == 1 ? versions[0] : throw KeelException.InvalidParameter($"Registered model alias {aliasName} not found.");
    }

    public async Task<string> GetDownloadUriAsync(string? name, string? version, CancellationToken ct = default) =>
        (await GetModelVersionAsync(name, version, ct)).StorageLocation;

    private static async Task<ModelVersion?> LoadVersionAsync(DbConnection connection, string name, long version, CancellationToken ct)
    {
        var versions = await LoadVersionsAsync(connection, Query(
            $"SELECT {RegistrySearchSql.VersionColumns} FROM {RegistrySearchSql.VersionTables} WHERE rm.name = @p0 AND mv.version = @p1",
            name, version), ct);
        return versions.Count == 1 ? versions[0] : null;
    }

    /// <summary>Runs a query selecting <see cref="RegistrySearchSql.ModelColumns"/> and completes each model with its tags, aliases and latest versions.</summary>
    private static async Task<List<RegisteredModel>> LoadModelsAsync(DbConnection connection, SqlQuery query, CancellationToken ct)
    {
        var rows = new List<(long Id, RegisteredModel Model)>();
        await using (var command = Command(connection, query))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(0),
                    new RegisteredModel(reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), NullableString(reader, 4), [], [], [])));
            }
        }

        var ids = rows.Select(r => r.Id).ToList();
        var tags = new Dictionary<long, List<KeyValue>>();
        await ReadByModelIdsAsync(connection, ids, "SELECT model_id, key, value FROM registered_model_tags WHERE model_id IN {ids} ORDER BY key",
            reader => Add(tags, reader.GetInt64(0), new KeyValue(reader.GetString(1), reader.GetString(2))), ct);
        var aliases = await LoadAliasesAsync(connection, ids, ct);
        var latest = new Dictionary<long, List<ModelVersion>>();
        await ReadByModelIdsAsync(connection, ids,
            $"SELECT {RegistrySearchSql.VersionColumns} FROM {RegistrySearchSql.VersionTables} WHERE mv.model_id IN {{ids}} " +
            "AND mv.version = (SELECT MAX(m2.version) FROM model_versions m2 WHERE m2.model_id = mv.model_id AND m2.current_stage = mv.current_stage) " +
            "ORDER BY mv.version",
            reader => Add(latest, reader.GetInt64(1), ReadVersion(reader)), ct);
        var versionTags = await LoadVersionTagsAsync(connection, ids, ct);

        return rows.Select(r => r.Model with
        {
            Tags = tags.GetValueOrDefault(r.Id) ?? [],
            Aliases = aliases.GetValueOrDefault(r.Id) ?? [],
            LatestVersions = (latest.GetValueOrDefault(r.Id) ?? []).Select(v => Complete(v, r.Id, versionTags, aliases)).ToList(),
        }).ToList();
    }

    /// <summary>Runs a query selecting <see cref="RegistrySearchSql.VersionColumns"/> and completes each version with its tags and aliases.</summary>
    private static async Task<List<ModelVersion>> LoadVersionsAsync(DbConnection connection, SqlQuery query, CancellationToken ct)
    {
        var rows = new List<(long ModelId, ModelVersion Version)>();
        await using (var command = Command(connection, query))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(1), ReadVersion(reader)));
            }
        }

        var ids = rows.Select(r => r.ModelId).Distinct().ToList();
        var tags = await LoadVersionTagsAsync(connection, ids, ct);
        var aliases = await LoadAliasesAsync(connection, ids, ct);
        return rows.Select(r => Complete(r.Version, r.ModelId, tags, aliases)).ToList();
    }

    private static ModelVersion Complete(
        ModelVersion version, long modelId, Dictionary<(long, long), List<KeyValue>> tags, Dictionary<long, List<ModelAlias>> aliases) =>
        version with
        {
            Tags = tags.GetValueOrDefault((modelId, version.Version)) ?? [],
            Aliases = (aliases.GetValueOrDefault(modelId) ?? []).Where(a => a.Version == version.Version).Select(a => a.Alias).ToList(),
        };

    private static ModelVersion ReadVersion(DbDataReader reader) => new(
        Name: reader.GetString(0),
        Version: reader.GetInt64(2),
        CreationTimestamp: reader.GetInt64(3),
        LastUpdatedTimestamp: reader.GetInt64(4),
        Description: NullableString(reader, 5),
        UserId: NullableString(reader, 6),
        CurrentStage: reader.GetString(7),
        Source: reader.GetString(8),
        StorageLocation: reader.GetString(9),
        RunId: NullableString(reader, 10),
        Status: reader.GetString(11),
        StatusMessage: NullableString(reader, 12),
        RunLink: NullableString(reader, 13),
        Tags: [],
        Aliases: []);

    private static async Task<Dictionary<(long, long), List<KeyValue>>> LoadVersionTagsAsync(DbConnection connection, List<long> modelIds, CancellationToken ct)
    {
        var tags = new Dictionary<(long, long), List<KeyValue>>();
        await ReadByModelIdsAsync(connection, modelIds,
            "SELECT model_id, version, key, value FROM model_version_tags WHERE model_id IN {ids} ORDER BY key",
            reader => Add(tags, (reader.GetInt64(0), reader.GetInt64(1)), new KeyValue(reader.GetString(2), reader.GetString(3))), ct);
        return tags;
    }

    private static async Task<Dictionary<long, List<ModelAlias>>> LoadAliasesAsync(DbConnection connection, List<long> modelIds, CancellationToken ct)
    {
        var aliases = new Dictionary<long, List<ModelAlias>>();
        await ReadByModelIdsAsync(connection, modelIds,
            "SELECT model_id, alias, version FROM registered_model_aliases WHERE model_id IN {ids} ORDER BY alias",
            reader => Add(aliases, reader.GetInt64(0), new ModelAlias(reader.GetString(1), reader.GetInt64(2))), ct);
        return aliases;
    }

    /// <summary>Runs <paramref name="sql"/> once per chunk of ids, with <c>{ids}</c> replaced by a parenthesised list of parameters.</summary>
    private static async Task ReadByModelIdsAsync(DbConnection connection, List<long> modelIds, string sql, Action<DbDataReader> read, CancellationToken ct)
    {
        foreach (var chunk in modelIds.Distinct().Chunk(IdsPerQuery))
        {
            var parameters = new SqlParameterBag();
            var list = "(" + string.Join(", ", chunk.Select(id => parameters.Add(id))) + ")";
            await using var command = Command(connection, new SqlQuery(sql.Replace("{ids}", list, StringComparison.Ordinal), parameters.Values));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                read(reader);
            }
        }
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
