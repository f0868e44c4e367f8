using System.Net;
using Keel.Testing;

namespace Keel.Client.Tests.Integration;

/// <summary>The client's run and logging calls against a real Keel server.</summary>
public abstract class RunIntegrationTests(KeelServerFixture server)
{
    private readonly KeelClient _client = new(server.Http);

    private async Task<string> CreateExperimentAsync() => await _client.CreateExperimentAsync("runs-" + Guid.NewGuid().ToString("N"));

    private async Task<Run> CreateRunAsync(string? runName = null) => await _client.CreateRunAsync(await CreateExperimentAsync(), runName);

    private static Dictionary<string, string> ToDictionary(IEnumerable<Param> parameters) => parameters.ToDictionary(p => p.Key, p => p.Value);

    private static Dictionary<string, string> ToDictionary(IEnumerable<Tag> tags) => tags.ToDictionary(t => t.Key, t => t.Value);

    [Fact]
    public async Task CreateRun_ThenGet_ReturnsTheRunRunning()
    {
        var experimentId = await CreateExperimentAsync();

        var created = await _client.CreateRunAsync(experimentId, "baseline", startTime: 1700000000000, tags: new Dictionary<string, string> { ["team"] = "ml" });
        var run = await _client.GetRunAsync(created.Info.RunId);

        Assert.Equal(created.Info.RunId, run.Info.RunId);
        Assert.Equal("baseline", run.Info.RunName);
        Assert.Equal(experimentId, run.Info.ExperimentId);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        Assert.Equal(1700000000000, run.Info.StartTime);
        Assert.Null(run.Info.EndTime);
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{run.Info.RunId}/artifacts", run.Info.ArtifactUri);
        Assert.Equal("ml", ToDictionary(run.Data.Tags)["team"]);
    }

    [Fact]
    public async Task UpdateRun_ChangesStatusEndTimeAndName()
    {
        var run = await CreateRunAsync("before");

        var info = await _client.UpdateRunAsync(run.Info.RunId, RunStatus.Killed, endTime: run.Info.StartTime + 1000, runName: "after");

        var stored = (await _client.GetRunAsync(run.Info.RunId)).Info;
        Assert.Equal(RunStatus.Killed, info.Status);
        Assert.Equal(RunStatus.Killed, stored.Status);
        Assert.Equal(run.Info.StartTime + 1000, stored.EndTime);
        Assert.Equal("after", stored.RunName);
    }

    [Fact]
    public async Task DeleteRun_MarksItDeleted_AndRestoreMarksItActive()
    {
        var run = await CreateRunAsync();
        var query = new RunQuery { ExperimentIds = [run.Info.ExperimentId] };

        await _client.DeleteRunAsync(run.Info.RunId);

        Assert.Equal("deleted", (await _client.GetRunAsync(run.Info.RunId)).Info.LifecycleStage);
        Assert.Empty((await _client.SearchRunsAsync(query)).Items);

        await _client.RestoreRunAsync(run.Info.RunId);

        Assert.Equal("active", (await _client.GetRunAsync(run.Info.RunId)).Info.LifecycleStage);
        Assert.Single((await _client.SearchRunsAsync(query)).Items);
    }

    [Fact]
    public async Task LogMetricParamAndTag_AppearOnTheRun_AndDeleteTagRemovesTheTag()
    {
        var runId = (await CreateRunAsync()).Info.RunId;

        await _client.LogMetricAsync(runId, "loss", 0.9, step: 0, timestamp: 1700000000000);
        await _client.LogMetricAsync(runId, "loss", 0.4, step: 1, timestamp: 1700000001000);
        await _client.LogParamAsync(runId, "lr", "0.01");
        await _client.SetTagAsync(runId, "stage", "train");
        await _client.SetTagAsync(runId, "temporary", "yes");
        await _client.DeleteTagAsync(runId, "temporary");

        var data = (await _client.GetRunAsync(runId)).Data;
        Assert.Equal(new Metric("loss", 0.4, 1700000001000, 1), Assert.Single(data.Metrics));
        Assert.Equal("0.01", ToDictionary(data.Params)["lr"]);
        var tags = ToDictionary(data.Tags);
        Assert.Equal("train", tags["stage"]);
        Assert.False(tags.ContainsKey("temporary"));
    }

    [Fact]
    public async Task LogMetric_WithNonFiniteValues_RoundTripsThem()
    {
        var runId = (await CreateRunAsync()).Info.RunId;

        await _client.LogMetricAsync(runId, "loss", double.NaN, step: 0, timestamp: 1700000000000);
        await _client.LogMetricAsync(runId, "loss", double.PositiveInfinity, step: 1, timestamp: 1700000000000);
        await _client.LogBatchAsync(runId, [new Metric("loss", double.NegativeInfinity, 1700000000000, 2)]);

        var history = await _client.GetMetricHistoryAsync(runId, "loss");
        Assert.Equal([double.NaN, double.PositiveInfinity, double.NegativeInfinity], history.Select(m => m.Value));
        Assert.Equal(double.NegativeInfinity, Assert.Single((await _client.GetRunAsync(runId)).Data.Metrics).Value);
    }

    [Fact]
    public async Task LogParam_WithAnotherValueForTheSameKey_ThrowsInvalidParameterValue()
    {
        var runId = (await CreateRunAsync()).Info.RunId;
        await _client.LogParamAsync(runId, "lr", "0.01");

        var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.LogParamAsync(runId, "lr", "0.02"));

        Assert.Equal(KeelErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task LogBatch_LargerThanOneRequest_StoresEveryMetricParamAndTag()
    {
        var runId = (await CreateRunAsync()).Info.RunId;
        var metrics = Enumerable.Range(0, 2500).Select(i => new Metric($"m{i % 5}", i, 1700000000000 + i, i / 5)).ToList();
        var parameters = Enumerable.Range(0, 150).Select(i => new Param($"p{i:D3}", $"v{i}")).ToList();
        var tags = Enumerable.Range(0, 120).Select(i => new Tag($"t{i:D3}", $"v{i}")).ToList();

        await _client.LogBatchAsync(runId, metrics, parameters, tags);

        var run = await _client.GetRunAsync(runId);
        Assert.Equal(parameters.ToDictionary(p => p.Key, p => p.Value), ToDictionary(run.Data.Params));
        Assert.All(tags, tag => Assert.Equal(tag.Value, ToDictionary(run.Data.Tags)[tag.Key]));
        Assert.Equal(5, run.Data.Metrics.Count);
        for (var key = 0; key < 5; key++)
        {
            var history = await _client.GetMetricHistoryAsync(runId, $"m{key}");
            Assert.Equal(metrics.Where(m => m.Key == $"m{key}"), history);
        }
    }

    [Fact]
    public async Task LogInputs_RoundTripsDatasetAndItsTags()
    {
        var runId = (await CreateRunAsync()).Info.RunId;
        var dataset = new Dataset
        {
            Name = "flights",
            Digest = "0123456789abcdef",
            SourceType = "local",
            Source = """{"uri": "examples/flights/flights.csv"}""",
            Schema = """{"columns": [{"name": "delay", "type": "float"}]}""",
            Profile = """{"num_rows": 20000}""",
        };

        await _client.LogInputsAsync(runId, [new DatasetInput { Dataset = dataset, Tags = [new Tag("mlflow.data.context", "training")] }]);

        var input = Assert.Single((await _client.GetRunAsync(runId)).Inputs.DatasetInputs);
        Assert.Equal(dataset, input.Dataset);
        Assert.Equal([new Tag("mlflow.data.context", "training")], input.Tags);
    }

    [Fact]
    public async Task GetMetricHistory_LongerThanOnePage_ReturnsEveryPointInStepOrder()
    {
        const int Points = 30_000;
        var runId = (await CreateRunAsync()).Info.RunId;
        var steps = Enumerable.Range(0, Points).ToArray();
        new Random(42).Shuffle(steps);

        await _client.LogBatchAsync(runId, steps.Select(step => new Metric("loss", 1.0 / (step + 1), 1700000000000 + step, step)));
        var recorder = new RecordingHandler();
        using var http = new HttpClient(recorder) { BaseAddress = server.BaseAddress };
        var history = await new KeelClient(http).GetMetricHistoryAsync(runId, "loss");

        Assert.Equal(Points, history.Count);
        Assert.Equal(Enumerable.Range(0, Points).Select(step => new Metric("loss", 1.0 / (step + 1), 1700000000000 + step, step)), history);
        Assert.Equal(2, recorder.Requests.Count(uri => uri.AbsolutePath.EndsWith("/metrics/get-history", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SearchRuns_WithFilterAndOrderBy_ReturnsTheMatchingRunsInOrder()
    {
        var experimentId = await CreateExperimentAsync();
        var runs = new Dictionary<string, string>();
        foreach (var (name, model, auc) in new[] { ("a", "tree", 0.71), ("b", "linear", 0.90), ("c", "tree", 0.84), ("d", "tree", 0.55), ("e", "tree", 0.78) })
        {
            var runId = (await _client.CreateRunAsync(experimentId, name)).Info.RunId;
            await _client.LogBatchAsync(runId, [new Metric("auc", auc, 1700000000000)], [new Param("model", model)]);
            runs[runId] = name;
        }

        var query = new RunQuery
        {
            ExperimentIds = [experimentId],
            Filter = "params.model = 'tree' AND metrics.auc > 0.6",
            OrderBy = ["metrics.auc DESC"],
            MaxResults = 2,
        };
        var found = new List<string>();
        await foreach (var run in _client.SearchAllRunsAsync(query))
        {
            found.Add(runs[run.Info.RunId]);
        }

        Assert.Equal(["c", "e", "a"], found);
    }

    [Fact]
    public async Task SearchRuns_WithMalformedFilter_ThrowsInvalidParameterValue()
    {
        var experimentId = await CreateExperimentAsync();

        var error = await Assert.ThrowsAsync<KeelApiException>(
            () => _client.SearchRunsAsync(new RunQuery { ExperimentIds = [experimentId], Filter = "metrics.auc >>> 1" }));

        Assert.Equal(KeelErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task GetRun_WithUnknownId_ThrowsResourceDoesNotExistWith404()
    {
        var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.GetRunAsync("0123456789abcdef0123456789abcdef"));

        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("0123456789abcdef0123456789abcdef", error.Message, StringComparison.Ordinal);
    }
}

public sealed class RunIntegrationTestsOnSqlite(KeelServerFixture server) : RunIntegrationTests(server), IClassFixture<KeelServerFixture>;

public sealed class RunIntegrationTestsOnPostgres(PostgresKeelServerFixture server) : RunIntegrationTests(server), IClassFixture<PostgresKeelServerFixture>;
