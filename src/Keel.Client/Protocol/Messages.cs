namespace Keel.Client.Protocol;

// Request and response bodies of MLflow's service.proto, named after its messages. Properties are
// serialized in snake_case; null request fields are left out, as proto's unset optional fields are.
// Response collections default to empty because proto3 JSON may omit empty repeated fields.

internal sealed record ErrorResponse(string? ErrorCode, string? Message);

internal sealed record CreateExperimentRequest(string Name, string? ArtifactLocation, IReadOnlyList<Tag>? Tags);

internal sealed record CreateExperimentResponse(string ExperimentId);

internal sealed record ExperimentResponse(Experiment? Experiment);

internal sealed record SearchExperimentsRequest(
    long? MaxResults, string? PageToken, string? Filter, IReadOnlyList<string>? OrderBy, ViewType ViewType);

internal sealed record SearchExperimentsResponse
{
    public IReadOnlyList<Experiment> Experiments { get; init => field = value ?? []; } = [];

    public string? NextPageToken { get; init; }
}

internal sealed record ExperimentIdRequest(string ExperimentId);

internal sealed record UpdateExperimentRequest(string ExperimentId, string NewName);

internal sealed record SetExperimentTagRequest(string ExperimentId, string Key, string Value);

internal sealed record CreateRunRequest(string ExperimentId, string? RunName, long StartTime, IReadOnlyList<Tag>? Tags);

internal sealed record RunResponse(Run? Run);

internal sealed record UpdateRunRequest(string RunId, RunStatus? Status, long? EndTime, string? RunName);

internal sealed record UpdateRunResponse(RunInfo? RunInfo);

internal sealed record RunIdRequest(string RunId);

internal sealed record SearchRunsRequest(
    IReadOnlyList<string> ExperimentIds, string? Filter, ViewType RunViewType, int? MaxResults, IReadOnlyList<string>? OrderBy, string? PageToken);

internal sealed record SearchRunsResponse
{
    public IReadOnlyList<Run> Runs { get; init => field = value ?? []; } = [];

    public string? NextPageToken { get; init; }
}

internal sealed record LogMetricRequest(string RunId, string Key, double Value, long Timestamp, long Step);

internal sealed record LogParamRequest(string RunId, string Key, string Value);

internal sealed record SetTagRequest(string RunId, string Key, string Value);

internal sealed record DeleteTagRequest(string RunId, string Key);

internal sealed record LogBatchRequest(string RunId, IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<Tag> Tags);

internal sealed record LogModelRequest(string RunId, string ModelJson);

internal sealed record LogInputsRequest(string RunId, IReadOnlyList<DatasetInput> Datasets);

internal sealed record MetricHistoryResponse
{
    public IReadOnlyList<Metric> Metrics { get; init => field = value ?? []; } = [];

    public string? NextPageToken { get; init; }
}

internal sealed record ListArtifactsResponse
{
    public string? RootUri { get; init; }

    public IReadOnlyList<ArtifactFile> Files { get; init => field = value ?? []; } = [];

    public string? NextPageToken { get; init; }
}
