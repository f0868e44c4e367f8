using System.Text.Json.Serialization;

namespace Keel.Client.Protocol;

// Request and response bodies of MLflow's model_registry.proto. Versions are strings on the wire (proto
// string fields); the public records read them as numbers.

internal sealed record CreateRegisteredModelRequest(string Name, IReadOnlyList<Tag>? Tags, string? Description);

internal sealed record RegisteredModelResponse(RegisteredModel? RegisteredModel);

internal sealed record RenameRegisteredModelRequest(string Name, string NewName);

internal sealed record UpdateRegisteredModelRequest(string Name, string? Description);

internal sealed record RegisteredModelNameRequest(string Name);

internal sealed record RegisteredModelTagRequest(string Name, string Key, string? Value);

internal sealed record SetAliasRequest(string Name, string Alias, string? Version);

internal sealed record GetLatestVersionsRequest(string Name, IReadOnlyList<string>? Stages);

internal sealed record SearchRegisteredModelsResponse
{
    public IReadOnlyList<RegisteredModel> RegisteredModels { get; init => field = value ?? []; } = [];

    public string? NextPageToken { get; init; }
}

internal sealed record ModelVersionsResponse
{
    public IReadOnlyList<ModelVersion> ModelVersions { get; init => field = value ?? []; } = [];

    public string? NextPageToken { get; init; }
}

internal sealed record CreateModelVersionRequest(string Name, string Source, string? RunId, IReadOnlyList<Tag>? Tags, string? RunLink, string? Description);

internal sealed record ModelVersionResponse(ModelVersion? ModelVersion);

internal sealed record ModelVersionRequest(string Name, string Version, string? Description = null);

internal sealed record ModelVersionTagRequest(string Name, string Version, string Key, string? Value);

internal sealed record TransitionStageRequest(string Name, string Version, string Stage, bool ArchiveExistingVersions);

internal sealed record DownloadUriResponse(string? ArtifactUri);

/// <summary>RFC 7807 ProblemDetails, as Keel's own routes answer errors; errorCode carries MLflow's code.</summary>
internal sealed record ProblemDetailsResponse(
    [property: JsonPropertyName("errorCode")] string? ErrorCode,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("title")] string? Title);
