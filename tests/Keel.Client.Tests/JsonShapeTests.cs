using System.Text.Json;
using Keel.Client.Protocol;

namespace Keel.Client.Tests;

/// <summary>The bodies the client writes and reads use MLflow's field names and encodings (service.proto).</summary>
public class JsonShapeTests
{
    private static JsonElement Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonDocument.Parse(JsonSerializer.Serialize(value, type)).RootElement;

    private static string[] PropertyNames(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void LogBatch_UsesMlflowFieldNames()
    {
        var request = new LogBatchRequest("r1", [new Metric("loss", 0.5, 1700000000000, 3)], [new Param("lr", "0.1")], [new Tag("team", "ml")]);

        var json = Serialize(request, KeelJsonContext.Default.LogBatchRequest);

        Assert.Equal(["run_id", "metrics", "params", "tags"], PropertyNames(json));
        var metric = json.GetProperty("metrics")[0];
        Assert.Equal(["key", "value", "timestamp", "step"], PropertyNames(metric));
        Assert.Equal(1700000000000, metric.GetProperty("timestamp").GetInt64());
        Assert.Equal(JsonValueKind.Number, metric.GetProperty("step").ValueKind);
        Assert.Equal(["key", "value"], PropertyNames(json.GetProperty("params")[0]));
    }

    [Fact]
    public void SearchRuns_UsesMlflowFieldNamesAndEnumNames()
    {
        var request = new SearchRunsRequest(["1", "2"], "metrics.rmse < 1", ViewType.DeletedOnly, 50, ["metrics.rmse ASC"], "tok");

        var json = Serialize(request, KeelJsonContext.Default.SearchRunsRequest);

        Assert.Equal(["experiment_ids", "filter", "run_view_type", "max_results", "order_by", "page_token"], PropertyNames(json));
        Assert.Equal("DELETED_ONLY", json.GetProperty("run_view_type").GetString());
        Assert.Equal("1", json.GetProperty("experiment_ids")[0].GetString());
    }

    [Fact]
    public void SearchExperiments_LeavesUnsetFieldsOut()
    {
        var request = new SearchExperimentsRequest(null, null, null, null, ViewType.All);

        var json = Serialize(request, KeelJsonContext.Default.SearchExperimentsRequest);

        Assert.Equal(["view_type"], PropertyNames(json));
        Assert.Equal("ALL", json.GetProperty("view_type").GetString());
    }

    [Fact]
    public void UpdateRun_WritesStatusAsEnumName()
    {
        var json = Serialize(new UpdateRunRequest("r1", RunStatus.Finished, 1700000000001, null), KeelJsonContext.Default.UpdateRunRequest);

        Assert.Equal(["run_id", "status", "end_time"], PropertyNames(json));
        Assert.Equal("FINISHED", json.GetProperty("status").GetString());
    }

    [Fact]
    public void LogInputs_UsesMlflowDatasetFieldNames()
    {
        var input = new DatasetInput
        {
            Tags = [new Tag("mlflow.data.context", "training")],
            Dataset = new Dataset { Name = "iris", Digest = "abc", SourceType = "local", Source = "{\"uri\": \"/data/iris.csv\"}", Schema = "{}" },
        };

        var json = Serialize(new LogInputsRequest("r1", [input]), KeelJsonContext.Default.LogInputsRequest);

        Assert.Equal(["run_id", "datasets"], PropertyNames(json));
        var dataset = json.GetProperty("datasets")[0];
        Assert.Equal(["tags", "dataset"], PropertyNames(dataset));
        Assert.Equal(["name", "digest", "source_type", "source", "schema"], PropertyNames(dataset.GetProperty("dataset")));
    }

    [Fact]
    public void CreateExperiment_UsesMlflowFieldNames()
    {
        var json = Serialize(new CreateExperimentRequest("churn", "s3://bucket/churn", [new Tag("team", "ml")]), KeelJsonContext.Default.CreateExperimentRequest);

        Assert.Equal(["name", "artifact_location", "tags"], PropertyNames(json));
    }

    [Fact]
    public void Run_WithOmittedEmptyArraysAndStringInt64s_Deserializes()
    {
        const string json = """
            {"run": {
              "info": {"run_id": "abc", "run_uuid": "abc", "run_name": "baseline", "experiment_id": "7", "user_id": "me",
                       "status": "FINISHED", "start_time": "1700000000000", "end_time": 1700000005000,
                       "artifact_uri": "mlflow-artifacts:/7/abc/artifacts", "lifecycle_stage": "active"},
              "data": {"metrics": [{"key": "rmse", "value": "NaN", "timestamp": 1700000001000}]},
              "inputs": {}
            }}
            """;

        var run = JsonSerializer.Deserialize(json, KeelJsonContext.Default.RunResponse)!.Run!;

        Assert.Equal("abc", run.Info.RunId);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal(1700000000000, run.Info.StartTime);
        Assert.Equal(1700000005000, run.Info.EndTime);
        var metric = Assert.Single(run.Data.Metrics);
        Assert.True(double.IsNaN(metric.Value));
        Assert.Equal(0, metric.Step);
        Assert.Empty(run.Data.Params);
        Assert.Empty(run.Data.Tags);
        Assert.Empty(run.Inputs.DatasetInputs);
    }

    [Fact]
    public void Run_WithoutDataOrInputs_HasEmptyCollections()
    {
        var run = JsonSerializer.Deserialize("""{"run": {"info": {"run_id": "abc", "status": "RUNNING"}}}""", KeelJsonContext.Default.RunResponse)!.Run!;

        Assert.Null(run.Info.EndTime);
        Assert.Empty(run.Data.Metrics);
        Assert.Empty(run.Inputs.DatasetInputs);
    }

    [Fact]
    public void Experiment_WithoutTags_HasEmptyTags()
    {
        const string json = """{"experiment": {"experiment_id": "0", "name": "Default", "lifecycle_stage": "active", "creation_time": 1, "last_update_time": 2}}""";

        var experiment = JsonSerializer.Deserialize(json, KeelJsonContext.Default.ExperimentResponse)!.Experiment!;

        Assert.Equal("0", experiment.ExperimentId);
        Assert.Equal(2, experiment.LastUpdateTime);
        Assert.Empty(experiment.Tags);
    }

    [Fact]
    public void Tag_WithOmittedEmptyValue_ReadsAsEmptyString()
    {
        var response = JsonSerializer.Deserialize("""{"experiments": [{"experiment_id": "1", "tags": [{"key": "note"}]}]}""", KeelJsonContext.Default.SearchExperimentsResponse)!;

        Assert.Equal(new Tag("note", ""), Assert.Single(Assert.Single(response.Experiments).Tags));
        Assert.Null(response.NextPageToken);
    }

    [Fact]
    public void Metric_WithNaNValue_IsWrittenAsProtoJsonLiteral()
    {
        var json = JsonSerializer.Serialize(new LogMetricRequest("r1", "loss", double.NaN, 1, 0), KeelJsonContext.Default.LogMetricRequest);

        Assert.Contains("\"value\":\"NaN\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ListArtifacts_ReadsFileInfo()
    {
        const string json = """{"root_uri": "mlflow-artifacts:/1/r/artifacts", "files": [{"path": "model", "is_dir": true}, {"path": "a.txt", "is_dir": false, "file_size": "12"}]}""";

        var response = JsonSerializer.Deserialize(json, KeelJsonContext.Default.ListArtifactsResponse)!;

        Assert.Equal([new ArtifactFile("model", true), new ArtifactFile("a.txt", false, 12)], response.Files);
    }
}
