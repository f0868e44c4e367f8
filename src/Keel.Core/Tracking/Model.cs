namespace Keel.Core.Tracking;

internal enum LifecycleStage { Active, Deleted }

/// <summary>MLflow's ViewType: which lifecycle stages a search or list returns.</summary>
internal enum ViewType { ActiveOnly, DeletedOnly, All }

internal sealed record KeyValue(string Key, string Value);

internal sealed record Experiment(
    long ExperimentId,
    string Name,
    string ArtifactLocation,
    LifecycleStage LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyList<KeyValue> Tags);

internal sealed record Metric(string Key, double Value, long Timestamp, long Step);

internal sealed record RunInfo(
    string RunId,
    string RunName,
    long ExperimentId,
    string UserId,
    string Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    LifecycleStage LifecycleStage);

internal sealed record Dataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

internal sealed record DatasetInput(IReadOnlyList<KeyValue> Tags, Dataset Dataset);

internal sealed record Run(
    RunInfo Info,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<KeyValue> Params,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<DatasetInput> Inputs);

/// <summary>A page of results and the opaque token for the next one (null on the last page).</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);
