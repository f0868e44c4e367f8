using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>A registered model as MLflow returns it: the latest version per stage, its tags and its aliases.</summary>
internal sealed record RegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? Description,
    IReadOnlyList<ModelVersion> LatestVersions,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<ModelAlias> Aliases);

internal sealed record ModelAlias(string Alias, long Version);

/// <summary>
/// One version of a registered model. <see cref="Source"/> is what the client registered;
/// <see cref="StorageLocation"/> is where the files are (a runs:/ or models:/ source resolved), which is what
/// get-download-uri answers.
/// </summary>
internal sealed record ModelVersion(
    string Name,
    long Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? Description,
    string? UserId,
    string CurrentStage,
    string Source,
    string StorageLocation,
    string? RunId,
    string Status,
    string? StatusMessage,
    string? RunLink,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<string> Aliases);

/// <summary>One row of the registry's change log.</summary>
internal sealed record RegistryEvent(long Id, long Time, string Actor, string EventType, string ModelName, long? Version, string Payload);

/// <summary>MLflow's model version stages (model_version_stages.py): matched case-insensitively, stored canonically.</summary>
internal static class ModelStages
{
    public const string None = "None";
    public const string Staging = "Staging";
    public const string Production = "Production";
    public const string Archived = "Archived";

    public static readonly IReadOnlyList<string> All = [None, Staging, Production, Archived];

    /// <summary>The stages archive_existing_versions may be used with (MLflow's DEFAULT_STAGES_FOR_GET_LATEST_VERSIONS).</summary>
    public static readonly IReadOnlyList<string> Active = [Staging, Production];

    public static string Canonical(string? stage) =>
        All.FirstOrDefault(s => string.Equals(s, stage, StringComparison.OrdinalIgnoreCase))
        ?? throw KeelException.InvalidParameter($"Invalid Model Version stage: {stage}. Value must be one of {string.Join(", ", All)}.");
}
