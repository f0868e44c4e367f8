using System.Text.Json.Serialization;

namespace Keel.Client.Protocol;

// AllowReadingFromString: proto3 JSON writes int64 fields (timestamps, steps, sizes) as strings, and
// MLflow-compatible servers differ on it. Named literals: metric values may be NaN or infinite, and proto
// JSON spells those "NaN", "Infinity" and "-Infinity".
// Generated deserializers assign every init-only property, passing null for fields the JSON left out (proto3
// omits empty repeated fields), which would override initializers; so the models' init accessors map null to
// the empty value themselves ("init => field = value ?? []").
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(ExperimentResponse))]
[JsonSerializable(typeof(SearchExperimentsRequest))]
[JsonSerializable(typeof(SearchExperimentsResponse))]
[JsonSerializable(typeof(ExperimentIdRequest))]
[JsonSerializable(typeof(UpdateExperimentRequest))]
[JsonSerializable(typeof(SetExperimentTagRequest))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(UpdateRunResponse))]
[JsonSerializable(typeof(RunIdRequest))]
[JsonSerializable(typeof(SearchRunsRequest))]
[JsonSerializable(typeof(SearchRunsResponse))]
[JsonSerializable(typeof(LogMetricRequest))]
[JsonSerializable(typeof(LogParamRequest))]
[JsonSerializable(typeof(SetTagRequest))]
[JsonSerializable(typeof(DeleteTagRequest))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(LogInputsRequest))]
[JsonSerializable(typeof(LogModelRequest))]
[JsonSerializable(typeof(MetricHistoryResponse))]
[JsonSerializable(typeof(ListArtifactsResponse))]
[JsonSerializable(typeof(ProblemDetailsResponse))]
[JsonSerializable(typeof(CreateRegisteredModelRequest))]
[JsonSerializable(typeof(RegisteredModelResponse))]
[JsonSerializable(typeof(RenameRegisteredModelRequest))]
[JsonSerializable(typeof(UpdateRegisteredModelRequest))]
[JsonSerializable(typeof(RegisteredModelNameRequest))]
[JsonSerializable(typeof(RegisteredModelTagRequest))]
[JsonSerializable(typeof(SetAliasRequest))]
[JsonSerializable(typeof(GetLatestVersionsRequest))]
[JsonSerializable(typeof(SearchRegisteredModelsResponse))]
[JsonSerializable(typeof(ModelVersionsResponse))]
[JsonSerializable(typeof(CreateModelVersionRequest))]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(ModelVersionRequest))]
[JsonSerializable(typeof(ModelVersionTagRequest))]
[JsonSerializable(typeof(TransitionStageRequest))]
[JsonSerializable(typeof(DownloadUriResponse))]
[JsonSerializable(typeof(ModelVersionLineage))]
[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(ChunkIdsMessage))]
[JsonSerializable(typeof(CommitVersionRequest))]
[JsonSerializable(typeof(CommitVersionResponse))]
[JsonSerializable(typeof(DatasetVersion))]
[JsonSerializable(typeof(DatasetVersionsResponse))]
[JsonSerializable(typeof(DatasetProfilesResponse))]
[JsonSerializable(typeof(DatasetLineage))]
[JsonSerializable(typeof(SetDatasetTagRequest))]
[JsonSerializable(typeof(DatasetVerification))]
[JsonSerializable(typeof(DataStoreStats))]
[JsonSerializable(typeof(Keel.Data.DataManifest))]
internal sealed partial class KeelJsonContext : JsonSerializerContext;
