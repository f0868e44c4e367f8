using Keel.Core.Tracking;

namespace Keel.Server.Mlflow;

// Request and response messages of MLflow's service.proto, as JSON. Requests are mutable classes so
// that a missing field is distinguishable from a default value.

internal sealed record KeyValueMessage(string? Key, string? Value);

internal sealed class CreateExperimentRequest
{
    public string? Name { get; set; }
    public string? ArtifactLocation { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
}

internal sealed class ExperimentIdRequest
{
    public string? ExperimentId { get; set; }
    public string? ExperimentName { get; set; }
    public string? NewName { get; set; }
    public string? Key { get; set; }
    public string? Value { get; set; }
}

internal sealed class SearchExperimentsRequest
{
    public long? MaxResults { get; set; }
    public string? PageToken { get; set; }
    public string? Filter { get; set; }
    public List<string>? OrderBy { get; set; }
    public ViewType? ViewType { get; set; }
}

internal sealed class CreateRunRequest
{
    public string? ExperimentId { get; set; }
    public string? UserId { get; set; }
    public string? RunName { get; set; }
    public long? StartTime { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
}

internal sealed class RunRequest
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }
    public string? Status { get; set; }
    public long? EndTime { get; set; }
    public string? RunName { get; set; }
    public string? Key { get; set; }
    public string? Value { get; set; }
    public string? ModelJson { get; set; }

    // MLflow still accepts the deprecated run_uuid wherever run_id goes.
    public string? Id => string.IsNullOrEmpty(RunId) ? RunUuid : RunId;
}

internal sealed class LogMetricRequest
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }
    public string? Key { get; set; }
    public double? Value { get; set; }
    public long? Timestamp { get; set; }
    public long? Step { get; set; }

    public string? Id => string.IsNullOrEmpty(RunId) ? RunUuid : RunId;
}

internal sealed class MetricMessage
{
    public string? Key { get; set; }
    public double? Value { get; set; }
    public long? Timestamp { get; set; }
    public long? Step { get; set; }
}

internal sealed class LogBatchRequest
{
    public string? RunId { get; set; }
    public List<MetricMessage>? Metrics { get; set; }
    public List<KeyValueMessage>? Params { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
}

internal sealed class DatasetMessage
{
    public string? Name { get; set; }
    public string? Digest { get; set; }
    public string? SourceType { get; set; }
    public string? Source { get; set; }
    public string? Schema { get; set; }
    public string? Profile { get; set; }
}

internal sealed class DatasetInputMessage
{
    public List<KeyValueMessage>? Tags { get; set; }
    public DatasetMessage? Dataset { get; set; }
}

internal sealed class LogInputsRequest
{
    public string? RunId { get; set; }
    public List<DatasetInputMessage>? Datasets { get; set; }
}

internal sealed class SearchRunsRequest
{
    public List<string>? ExperimentIds { get; set; }
    public string? Filter { get; set; }
    public ViewType? RunViewType { get; set; }
    public long? MaxResults { get; set; }
    public List<string>? OrderBy { get; set; }
    public string? PageToken { get; set; }
}

internal sealed class MetricHistoryRequest
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }
    public List<string>? RunIds { get; set; }
    public string? MetricKey { get; set; }
    public string? PageToken { get; set; }
    public long? MaxResults { get; set; }
    public long? StartStep { get; set; }
    public long? EndStep { get; set; }

    public string? Id => string.IsNullOrEmpty(RunId) ? RunUuid : RunId;
}

internal sealed class ListArtifactsRequest
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }
    public string? Path { get; set; }
    public string? PageToken { get; set; }

    public string? Id => string.IsNullOrEmpty(RunId) ? RunUuid : RunId;
}

internal sealed record ExperimentMessage(
    string ExperimentId, string Name, string ArtifactLocation, string LifecycleStage, long LastUpdateTime, long CreationTime, IReadOnlyList<KeyValueMessage> Tags);

internal sealed record MetricResponse(string Key, double Value, long Timestamp, long Step);

internal sealed record MetricWithRunId(string Key, double Value, long Timestamp, long Step, string RunId);

internal sealed record RunInfoMessage(
    string RunId, string RunUuid, string RunName, string ExperimentId, string UserId, string Status,
    long StartTime, long? EndTime, string ArtifactUri, string LifecycleStage);

internal sealed record RunDataMessage(IReadOnlyList<MetricResponse> Metrics, IReadOnlyList<KeyValueMessage> Params, IReadOnlyList<KeyValueMessage> Tags);

internal sealed record DatasetResponse(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

internal sealed record DatasetInputResponse(IReadOnlyList<KeyValueMessage> Tags, DatasetResponse Dataset);

internal sealed record RunInputsMessage(IReadOnlyList<DatasetInputResponse> DatasetInputs);

internal sealed record RunMessage(RunInfoMessage Info, RunDataMessage Data, RunInputsMessage Inputs);

internal sealed record FileInfoMessage(string Path, bool IsDir, long? FileSize);

internal static class TrackingMessageMapping
{
    public static string Text(this LifecycleStage stage) => stage == LifecycleStage.Deleted ? "deleted" : "active";

    public static ExperimentMessage ToMessage(this Experiment e) => new(
        e.ExperimentId.ToString(), e.Name, e.ArtifactLocation, e.LifecycleStage.Text(), e.LastUpdateTime, e.CreationTime,
        e.Tags.Select(t => new KeyValueMessage(t.Key, t.Value)).ToList());

    public static RunInfoMessage ToMessage(this RunInfo i) => new(
        i.RunId, i.RunId, i.RunName, i.ExperimentId.ToString(), i.UserId, i.Status, i.StartTime, i.EndTime, i.ArtifactUri, i.LifecycleStage.Text());

    public static RunMessage ToMessage(this Run r) => new(
        r.Info.ToMessage(),
        new RunDataMessage(
            r.Metrics.Select(m => new MetricResponse(m.Key, m.Value, m.Timestamp, m.Step)).ToList(),
            r.Params.Select(p => new KeyValueMessage(p.Key, p.Value)).ToList(),
            r.Tags.Select(t => new KeyValueMessage(t.Key, t.Value)).ToList()),
        new RunInputsMessage(r.Inputs.Select(i => new DatasetInputResponse(
            i.Tags.Select(t => new KeyValueMessage(t.Key, t.Value)).ToList(),
            new DatasetResponse(i.Dataset.Name, i.Dataset.Digest, i.Dataset.SourceType, i.Dataset.Source, i.Dataset.Schema, i.Dataset.Profile))).ToList()));

    public static List<KeyValue> ToKeyValues(this List<KeyValueMessage>? items, string what) =>
        (items ?? []).Select(t => new KeyValue(
            MlflowRequest.Require(t.Key, $"{what}.key"),
            t.Value ?? "")).ToList();
}
