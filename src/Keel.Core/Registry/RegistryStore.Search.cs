using Keel.Core.Auth;
using Keel.Core.Tracking;
using Keel.Core.Tracking.Search;

namespace Keel.Core.Registry;

internal sealed partial class RegistryStore
{
    public async Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(
        string? filter, long? maxResults, IReadOnlyList<string>? orderBy, string? pageToken, ReadScope? scope = null, CancellationToken ct = default)
    {
        var max = MaxResults(maxResults, DefaultModelResults, MaxModelResults);
        var offset = PageToken.Decode(pageToken);
        // One row past the page tells whether there is a next page.
        var query = RegistrySearchSql.RegisteredModels(filter, orderBy, max + 1, offset, scope?.Condition(ResourceKind.RegisteredModel, "rm.name"));
        await using var connection = await database.OpenReadAsync(ct);
        var models = await LoadModelsAsync(connection, query, ct);
        return new Page<RegisteredModel>(models.Take(max).ToList(), models.Count > max ? PageToken.Encode(offset + max) : null);
    }

    public async Task<Page<ModelVersion>> SearchModelVersionsAsync(
        string? filter, long? maxResults, IReadOnlyList<string>? orderBy, string? pageToken, ReadScope? scope = null, CancellationToken ct = default)
    {
        var max = MaxResults(maxResults, DefaultVersionResults, MaxVersionResults);
        var offset = PageToken.Decode(pageToken);
        var query = RegistrySearchSql.ModelVersions(filter, orderBy, max + 1, offset, scope?.Condition(ResourceKind.RegisteredModel, "rm.name"));
        await using var connection = await database.OpenReadAsync(ct);
        var versions = await LoadVersionsAsync(connection, query, ct);
        return new Page<ModelVersion>(versions.Take(max).ToList(), versions.Count > max ? PageToken.Encode(offset + max) : null);
    }

    /// <summary>The change log, oldest first, optionally for one model name, after an event id (for polling).</summary>
    public async Task<IReadOnlyList<RegistryEvent>> ReadEventsAsync(string? name, long? afterId, long? maxResults, CancellationToken ct = default)
    {
        var max = MaxResults(maxResults, 1000, MaxEventResults);
        var parameters = new SqlParameterBag();
        var conditions = new List<string> { $"event_id > {parameters.Add(afterId ?? 0)}" };
        if (!string.IsNullOrEmpty(name))
        {
            conditions.Add($"model_name = {parameters.Add(name)}");
        }

        var sql = "SELECT event_id, time, actor, event_type, model_name, version, payload FROM registry_events " +
                  $"WHERE {string.Join(" AND ", conditions)} ORDER BY event_id LIMIT {parameters.Add(max)}";
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = Command(connection, new SqlQuery(sql, parameters.Values));
        return await ReadEventsAsync(command, ct);
    }
}
