using System.Text.Json;
using Keel.Core.Registry;

namespace Keel.Server.Mlflow;

// Request and response messages of MLflow's model_registry.proto, as JSON. Requests are mutable classes so
// that a missing field is distinguishable from a default value; one class serves the messages that share fields.

internal sealed class RegisteredModelRequest
{
    public string? Name { get; set; }
    public string? NewName { get; set; }
    public string? Description { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
    public string? Key { get; set; }
    public string? Value { get; set; }
    public string? Alias { get; set; }
    public string? Version { get; set; }
    public List<string>? Stages { get; set; }
}

internal sealed class ModelVersionRequest
{
    public string? Name { get; set; }
    public string? Version { get; set; }
    public string? Source { get; set; }
    public string? RunId { get; set; }
    public string? RunLink { get; set; }
    public string? Description { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
    public string? Stage { get; set; }
    public bool? ArchiveExistingVersions { get; set; }
    public string? Key { get; set; }
    public string? Value { get; set; }
}

internal sealed class SearchRegistryRequest
{
    public string? Filter { get; set; }
    public long? MaxResults { get; set; }
    public List<string>? OrderBy { get; set; }
    public string? PageToken { get; set; }
}

internal sealed record ModelVersionMessage(
    string Name, string Version, long CreationTimestamp, long LastUpdatedTimestamp, string? UserId, string CurrentStage, string? Description,
    string Source, string? RunId, string Status, string? StatusMessage, IReadOnlyList<KeyValueMessage> Tags, string? RunLink,
    IReadOnlyList<string> Aliases);

internal sealed record RegisteredModelAliasMessage(string Alias, string Version);

internal sealed record RegisteredModelMessage(
    string Name, long CreationTimestamp, long LastUpdatedTimestamp, string? Description, IReadOnlyList<ModelVersionMessage> LatestVersions,
    IReadOnlyList<KeyValueMessage> Tags, IReadOnlyList<RegisteredModelAliasMessage> Aliases);

/// <summary>One row of Keel's registry change log (not an MLflow message); the payload is embedded as JSON.</summary>
internal sealed record RegistryEventMessage(long Id, long Time, string Actor, string EventType, string ModelName, string? Version, JsonElement Payload);

internal static class RegistryMessageMapping
{
    public static ModelVersionMessage ToMessage(this ModelVersion v) => new(
        v.Name, v.Version.ToString(), v.CreationTimestamp, v.LastUpdatedTimestamp, v.UserId, v.CurrentStage, v.Description,
        v.Source, v.RunId, v.Status, v.StatusMessage, v.Tags.Select(t => new KeyValueMessage(t.Key, t.Value)).ToList(), v.RunLink, v.Aliases);

    public static RegisteredModelMessage ToMessage(this RegisteredModel m) => new(
        m.Name, m.CreationTimestamp, m.LastUpdatedTimestamp, m.Description,
        m.LatestVersions.Select(v => v.ToMessage()).ToList(),
        m.Tags.Select(t => new KeyValueMessage(t.Key, t.Value)).ToList(),
        m.Aliases.Select(a => new RegisteredModelAliasMessage(a.Alias, a.Version.ToString())).ToList());

    public static RegistryEventMessage ToMessage(this RegistryEvent e)
    {
        using var payload = JsonDocument.Parse(e.Payload);
        return new RegistryEventMessage(e.Id, e.Time, e.Actor, e.EventType, e.ModelName, e.Version?.ToString(), payload.RootElement.Clone());
    }
}
