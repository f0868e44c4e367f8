using System.Text.Json;

namespace Keel.Client.Tests;

/// <summary>Each client method calls MLflow's endpoint with the right verb, path, query and body.</summary>
public class TrackingRequestTests
{
    private const string RunJson = """{"run": {"info": {"run_id": "r1", "experiment_id": "1", "status": "RUNNING", "artifact_uri": "mlflow-artifacts:/1/r1/artifacts"}}}""";

    private static JsonElement Body(SentRequest request) => JsonDocument.Parse(request.Body).RootElement;

    [Fact]
    public async Task GetExperimentByName_SendsNameInQueryString()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json("""{"experiment": {"experiment_id": "3", "name": "my exp/1"}}"""));
        using var client = handler.CreateClient();

        var experiment = await client.GetExperimentByNameAsync("my exp/1");

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/api/2.0/mlflow/experiments/get-by-name?experiment_name=my%20exp%2F1", request.PathAndQuery);
        Assert.Equal("3", experiment.ExperimentId);
    }

    [Fact]
    public async Task CreateExperiment_PostsNameAndTags_ReturnsId()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json("""{"experiment_id": "12"}"""));
        using var client = handler.CreateClient();

        var id = await client.CreateExperimentAsync("churn", tags: new Dictionary<string, string> { ["team"] = "ml" });

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/2.0/mlflow/experiments/create", request.Path);
        Assert.Equal("churn", Body(request).GetProperty("name").GetString());
        Assert.Equal("ml", Body(request).GetProperty("tags")[0].GetProperty("value").GetString());
        Assert.False(Body(request).TryGetProperty("artifact_location", out _));
        Assert.Equal("12", id);
    }

    [Fact]
    public async Task SearchAllExperiments_FollowsPageTokens()
    {
        var pages = new Dictionary<string, string>
        {
            [""] = """{"experiments": [{"experiment_id": "1"}], "next_page_token": "p2"}""",
            ["p2"] = """{"experiments": [{"experiment_id": "2"}], "next_page_token": "p3"}""",
            ["p3"] = """{"experiments": [{"experiment_id": "3"}], "next_page_token": ""}""",
        };
        var handler = new FakeHandler(request => FakeHandler.Json(pages[PageToken(request) ?? ""]));
        using var client = handler.CreateClient();

        var ids = new List<string>();
        await foreach (var experiment in client.SearchAllExperimentsAsync(new ExperimentQuery { MaxResults = 1, ViewType = ViewType.All }))
        {
            ids.Add(experiment.ExperimentId);
        }

        Assert.Equal(["1", "2", "3"], ids);
        Assert.Equal([null, "p2", "p3"], handler.Requests.Select(PageToken));
        Assert.All(handler.Requests, r => Assert.Equal("ALL", Body(r).GetProperty("view_type").GetString()));

        static string? PageToken(SentRequest request) =>
            Body(request).TryGetProperty("page_token", out var token) ? token.GetString() : null;
    }

    [Fact]
    public async Task SearchRuns_PostsQuery_ReturnsPage()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json("""{"runs": [{"info": {"run_id": "a"}}], "next_page_token": "n"}"""));
        using var client = handler.CreateClient();

        var page = await client.SearchRunsAsync(new RunQuery { ExperimentIds = ["1"], Filter = "params.a = '1'", OrderBy = ["metrics.m DESC"], MaxResults = 5 });

        var body = Body(Assert.Single(handler.Requests));
        Assert.Equal("/api/2.0/mlflow/runs/search", handler.Requests.Single().Path);
        Assert.Equal("params.a = '1'", body.GetProperty("filter").GetString());
        Assert.Equal("ACTIVE_ONLY", body.GetProperty("run_view_type").GetString());
        Assert.Equal(5, body.GetProperty("max_results").GetInt32());
        Assert.Equal("a", Assert.Single(page.Items).Info.RunId);
        Assert.Equal("n", page.NextPageToken);
    }

    [Fact]
    public async Task SearchRuns_WithEmptyResponse_ReturnsEmptyLastPage()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json("{}"));
        using var client = handler.CreateClient();

        var page = await client.SearchRunsAsync(new RunQuery { ExperimentIds = ["1"] });

        Assert.Empty(page.Items);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task CreateRun_SendsStartTimeAndTags()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json(RunJson));
        using var client = handler.CreateClient();

        var run = await client.CreateRunAsync("1", "baseline", startTime: 1700000000000, tags: new Dictionary<string, string> { ["k"] = "v" });

        var body = Body(Assert.Single(handler.Requests));
        Assert.Equal("1", body.GetProperty("experiment_id").GetString());
        Assert.Equal("baseline", body.GetProperty("run_name").GetString());
        Assert.Equal(1700000000000, body.GetProperty("start_time").GetInt64());
        Assert.Equal("r1", run.Info.RunId);
    }

    [Fact]
    public async Task UpdateRun_SendsOnlyGivenFields()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json("""{"run_info": {"run_id": "r1", "status": "KILLED"}}"""));
        using var client = handler.CreateClient();

        var info = await client.UpdateRunAsync("r1", RunStatus.Killed);

        var body = Body(Assert.Single(handler.Requests));
        Assert.Equal(["run_id", "status"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(RunStatus.Killed, info.Status);
    }

    [Theory]
    [InlineData("experiments/update", "experiment_id", "new_name")]
    [InlineData("experiments/delete", "experiment_id")]
    [InlineData("experiments/restore", "experiment_id")]
    [InlineData("experiments/set-experiment-tag", "experiment_id", "key", "value")]
    [InlineData("runs/delete", "run_id")]
    [InlineData("runs/restore", "run_id")]
    [InlineData("runs/log-metric", "run_id", "key", "value", "timestamp", "step")]
    [InlineData("runs/log-parameter", "run_id", "key", "value")]
    [InlineData("runs/set-tag", "run_id", "key", "value")]
    [InlineData("runs/delete-tag", "run_id", "key")]
    [InlineData("runs/log-inputs", "run_id", "datasets")]
    public async Task PostEndpoints_SendMlflowFields(string endpoint, params string[] fields)
    {
        var handler = new FakeHandler(_ => FakeHandler.Json("{}"));
        using var client = handler.CreateClient();

        Task call = endpoint switch
        {
            "experiments/update" => client.UpdateExperimentAsync("1", "renamed"),
            "experiments/delete" => client.DeleteExperimentAsync("1"),
            "experiments/restore" => client.RestoreExperimentAsync("1"),
            "experiments/set-experiment-tag" => client.SetExperimentTagAsync("1", "k", "v"),
            "runs/delete" => client.DeleteRunAsync("r1"),
            "runs/restore" => client.RestoreRunAsync("r1"),
            "runs/log-metric" => client.LogMetricAsync("r1", "loss", 0.25, step: 0),
            "runs/log-parameter" => client.LogParamAsync("r1", "lr", "0.1"),
            "runs/set-tag" => client.SetTagAsync("r1", "k", "v"),
            "runs/delete-tag" => client.DeleteTagAsync("r1", "k"),
            "runs/log-inputs" => client.LogInputsAsync("r1", [new DatasetInput { Dataset = new Dataset { Name = "d", Digest = "x", SourceType = "local", Source = "{}" } }]),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
        };
        await call;

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/2.0/mlflow/" + endpoint, request.Path);
        Assert.Equal(fields, Body(request).EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task LogBatch_WithMoreThanLimits_SplitsIntoSeveralRequests()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json("{}"));
        using var client = handler.CreateClient();

        await client.LogBatchAsync("r1", Enumerable.Range(0, 1500).Select(i => new Metric("m", i, 1, i)), Enumerable.Range(0, 120).Select(i => new Param($"p{i}", "v")));

        var bodies = handler.Requests.Select(Body).ToList();
        Assert.All(handler.Requests, r => Assert.Equal("/api/2.0/mlflow/runs/log-batch", r.Path));
        Assert.All(bodies, b => Assert.InRange(b.GetProperty("metrics").GetArrayLength() + b.GetProperty("params").GetArrayLength(), 1, 1000));
        Assert.Equal(1500, bodies.Sum(b => b.GetProperty("metrics").GetArrayLength()));
        Assert.Equal(120, bodies.Sum(b => b.GetProperty("params").GetArrayLength()));
    }

    [Fact]
    public async Task GetMetricHistory_FollowsNextPageToken()
    {
        var handler = new FakeHandler(request => request.Uri.Query.Contains("page_token=t2", StringComparison.Ordinal)
            ? FakeHandler.Json("""{"metrics": [{"key": "loss", "value": 0.5, "timestamp": 2, "step": 1}]}""")
            : FakeHandler.Json("""{"metrics": [{"key": "loss", "value": 0.9, "timestamp": 1, "step": 0}], "next_page_token": "t2"}"""));
        using var client = handler.CreateClient();

        var history = await client.GetMetricHistoryAsync("r1", "loss");

        Assert.Equal([0.9, 0.5], history.Select(m => m.Value));
        Assert.Equal(
            [
                "/api/2.0/mlflow/metrics/get-history?run_id=r1&metric_key=loss&max_results=25000",
                "/api/2.0/mlflow/metrics/get-history?run_id=r1&metric_key=loss&max_results=25000&page_token=t2",
            ],
            handler.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task GetRun_WithErrorBody_ThrowsKeelApiExceptionWithCode()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json(
            """{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run 'nope' not found"}""", System.Net.HttpStatusCode.NotFound));
        using var client = handler.CreateClient();

        var ex = await Assert.ThrowsAsync<KeelApiException>(() => client.GetRunAsync("nope"));

        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, ex.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("Run 'nope' not found", ex.Message);
    }

    [Fact]
    public async Task Response_ThatIsNotMlflowJson_ThrowsKeelApiException()
    {
        var handler = new FakeHandler(_ => new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("<html>login</html>") });
        using var client = handler.CreateClient();

        var ex = await Assert.ThrowsAsync<KeelApiException>(() => client.GetRunAsync("r1"));

        Assert.Contains("not the expected MLflow JSON", ex.Message, StringComparison.Ordinal);
    }
}
