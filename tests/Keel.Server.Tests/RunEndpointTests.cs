namespace Keel.Server.Tests;

public abstract class RunEndpointTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new(server.Http);

    [Fact]
    public async Task Create_ReturnsRunInMlflowShape()
    {
        var exp = await _api.CreateExperimentAsync();

        var run = (await _api.PostAsync("/runs/create", new
        {
            experiment_id = exp,
            run_name = "first",
            start_time = 1700000000000L,
            user_id = "ada",
            tags = new[] { new { key = "k", value = "v" } },
        })).Ok().Json["run"]!;

        var info = run["info"]!;
        var runId = (string)info["run_id"]!;
        Assert.Matches("^[0-9a-f]{32}$", runId);
        Assert.Equal(runId, (string)info["run_uuid"]!);
        Assert.Equal("first", (string)info["run_name"]!);
        Assert.Equal(exp, (string)info["experiment_id"]!);
        Assert.Equal("ada", (string)info["user_id"]!);
        Assert.Equal("RUNNING", (string)info["status"]!);
        Assert.Equal(1700000000000L, (long)info["start_time"]!);
        Assert.Null(info["end_time"]);
        Assert.Equal($"mlflow-artifacts:/{exp}/{runId}/artifacts", (string)info["artifact_uri"]!);
        Assert.Equal("active", (string)info["lifecycle_stage"]!);
        var tags = run["data"]!["tags"]!.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!);
        Assert.Equal("v", tags["k"]);
        Assert.Equal("first", tags["mlflow.runName"]);
    }

    [Fact]
    public async Task LongestParamAndTagValues_AreStored_AndOrderedBeyondTheirCommonPrefix()
    {
        // MLflow's limits (6,000 and 5,000 characters) exceed what one PostgreSQL B-tree entry holds; the
        // search indexes hold a prefix, so values that share it must still sort by the whole value.
        var exp = await _api.CreateExperimentAsync();
        var prefix = new string('x', 5_999);
        var runs = new List<(string Id, string Suffix)>();
        foreach (var suffix in new[] { "b", "a", "c" })
        {
            var runId = await _api.CreateRunAsync(exp);
            (await _api.PostAsync("/runs/log-batch", new
            {
                run_id = runId,
                @params = new[] { new { key = "long", value = prefix + suffix } },
                tags = new[] { new { key = "long", value = new string('y', 4_999) + suffix } },
            })).Ok();
            runs.Add((runId, suffix));
        }

        foreach (var order in new[] { "params.long ASC", "tags.long DESC" })
        {
            var found = (await _api.PostAsync("/runs/search", new { experiment_ids = new[] { exp }, order_by = new[] { order } })).Ok().Json["runs"]!.AsArray()
                .Select(r => (string)r!["info"]!["run_id"]!).ToList();
            var expected = runs.OrderBy(r => r.Suffix, StringComparer.Ordinal).Select(r => r.Id).ToList();
            Assert.Equal(order.EndsWith("ASC", StringComparison.Ordinal) ? expected : expected.AsEnumerable().Reverse().ToList(), found);
        }

        var stored = (await _api.GetRunAsync(runs[0].Id))["data"]!;
        Assert.Equal(prefix + "b", (string)stored["params"]![0]!["value"]!);
        Assert.Equal(5_000, ((string)stored["tags"]!.AsArray().Single(t => (string)t!["key"]! == "long")!["value"]!).Length);
    }

    [Fact]
    public async Task Create_WithoutName_GeneratesOne_AndUsesRunNameTag()
    {
        var exp = await _api.CreateExperimentAsync();
        var generated = await _api.GetRunAsync(await _api.CreateRunAsync(exp));
        Assert.Matches("^[a-z]+-[a-z]+-\\d+$", (string)generated["info"]!["run_name"]!);

        var fromTag = await _api.CreateRunAsync(exp, new { experiment_id = exp, tags = new[] { new { key = "mlflow.runName", value = "tagged" } } });
        Assert.Equal("tagged", (string)(await _api.GetRunAsync(fromTag))["info"]!["run_name"]!);
    }

    [Fact]
    public async Task Create_InUnknownExperiment_ReturnsResourceDoesNotExist() =>
        (await _api.PostAsync("/runs/create", new { experiment_id = "999999" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");

    [Fact]
    public async Task Update_SetsStatusEndTimeAndName()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        var info = (await _api.PostAsync("/runs/update", new { run_id = runId, status = "FINISHED", end_time = 1700000001234L, run_name = "renamed" })).Ok().Json["run_info"]!;

        Assert.Equal("FINISHED", (string)info["status"]!);
        Assert.Equal(1700000001234L, (long)info["end_time"]!);
        Assert.Equal("renamed", (string)info["run_name"]!);
        (await _api.PostAsync("/runs/update", new { run_id = runId, status = "DONE" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task DeleteAndRestore_ChangeLifecycle_AndDeletedRunRefusesWrites()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        (await _api.PostAsync("/runs/delete", new { run_id = runId })).Ok();
        Assert.Equal("deleted", (string)(await _api.GetRunAsync(runId))["info"]!["lifecycle_stage"]!);
        (await _api.PostAsync("/runs/log-parameter", new { run_id = runId, key = "a", value = "b" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        (await _api.PostAsync("/runs/restore", new { run_id = runId })).Ok();
        (await _api.PostAsync("/runs/log-parameter", new { run_id = runId, key = "a", value = "b" })).Ok();
    }

    [Fact]
    public async Task Get_UnknownRun_ReturnsResourceDoesNotExist()
    {
        (await _api.GetAsync("/runs/get?run_id=0123456789abcdef0123456789abcdef")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.PostAsync("/runs/log-metric", new { run_id = "0123456789abcdef0123456789abcdef", key = "m", value = 1, timestamp = 1 }))
            .Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Metrics_Append_AndRunShowsLatestByStepThenTimestamp()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        foreach (var (value, timestamp, step) in new[] { (1.0, 10L, 5L), (2.0, 5L, 7L), (3.0, 1L, 7L), (4.0, 99L, 6L) })
        {
            (await _api.PostAsync("/runs/log-metric", new { run_id = runId, key = "loss", value, timestamp, step })).Ok();
        }

        var latest = Assert.Single((await _api.GetRunAsync(runId))["data"]!["metrics"]!.AsArray())!;
        Assert.Equal(2.0, (double)latest["value"]!);
        Assert.Equal(7L, (long)latest["step"]!);
        var history = (await _api.GetAsync($"/metrics/get-history?run_id={runId}&metric_key=loss")).Ok().Json["metrics"]!.AsArray();
        Assert.Equal(4, history.Count);
        Assert.Equal(new[] { 5L, 6L, 7L, 7L }, history.Select(m => (long)m!["step"]!));
    }

    [Fact]
    public async Task Metric_NanAndInfinity_RoundTrip()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        (await _api.PostRawAsync("/runs/log-batch", $$"""
            {"run_id":"{{runId}}","metrics":[
              {"key":"a","value":"NaN","timestamp":1,"step":0},
              {"key":"b","value":"Infinity","timestamp":1,"step":0},
              {"key":"c","value":"-Infinity","timestamp":1,"step":0}]}
            """)).Ok();

        var values = (await _api.GetRunAsync(runId))["data"]!["metrics"]!.AsArray().ToDictionary(m => (string)m!["key"]!, m => m!["value"]!.ToJsonString());
        Assert.Equal("\"NaN\"", values["a"]);
        Assert.Equal("\"Infinity\"", values["b"]);
        Assert.Equal("\"-Infinity\"", values["c"]);
    }

    [Fact]
    public async Task Params_AreImmutable_SameValueAgainIsFine()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        (await _api.PostAsync("/runs/log-parameter", new { run_id = runId, key = "lr", value = "0.1" })).Ok();
        (await _api.PostAsync("/runs/log-parameter", new { run_id = runId, key = "lr", value = "0.1" })).Ok();
        var message = (await _api.PostAsync("/runs/log-parameter", new { run_id = runId, key = "lr", value = "0.2" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        Assert.Contains("Changing param values is not allowed", message);
        Assert.Equal("0.1", (string)(await _api.GetRunAsync(runId))["data"]!["params"]![0]!["value"]!);
    }

    [Fact]
    public async Task Tags_Overwrite_AndDeleteTag()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        (await _api.PostAsync("/runs/set-tag", new { run_id = runId, key = "stage", value = "a" })).Ok();
        (await _api.PostAsync("/runs/set-tag", new { run_id = runId, key = "stage", value = "b" })).Ok();
        Assert.Contains((await _api.GetRunAsync(runId))["data"]!["tags"]!.AsArray(), t => (string)t!["key"]! == "stage" && (string)t["value"]! == "b");

        (await _api.PostAsync("/runs/delete-tag", new { run_id = runId, key = "stage" })).Ok();
        Assert.DoesNotContain((await _api.GetRunAsync(runId))["data"]!["tags"]!.AsArray(), t => (string)t!["key"]! == "stage");
        (await _api.PostAsync("/runs/delete-tag", new { run_id = runId, key = "stage" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task SetTag_RunName_RenamesRun()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        (await _api.PostAsync("/runs/set-tag", new { run_id = runId, key = "mlflow.runName", value = "via-tag" })).Ok();
        Assert.Equal("via-tag", (string)(await _api.GetRunAsync(runId))["info"]!["run_name"]!);
    }

    [Fact]
    public async Task LogBatch_WritesAll_OrNothingWhenOneParamConflicts()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        (await _api.PostAsync("/runs/log-parameter", new { run_id = runId, key = "fixed", value = "1" })).Ok();

        (await _api.PostAsync("/runs/log-batch", new
        {
            run_id = runId,
            metrics = new[] { new { key = "m", value = 1.5, timestamp = 1L, step = 0L } },
            @params = new[] { new { key = "p", value = "x" }, new { key = "fixed", value = "2" } },
            tags = new[] { new { key = "t", value = "y" } },
        })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var data = (await _api.GetRunAsync(runId))["data"]!;
        Assert.Null(data["metrics"]);
        Assert.Single(data["params"]!.AsArray());

        (await _api.PostAsync("/runs/log-batch", new
        {
            run_id = runId,
            metrics = new[] { new { key = "m", value = 1.5, timestamp = 1L, step = 0L } },
            @params = new[] { new { key = "p", value = "x" } },
            tags = new[] { new { key = "t", value = "y" } },
        })).Ok();
        data = (await _api.GetRunAsync(runId))["data"]!;
        Assert.Single(data["metrics"]!.AsArray());
        Assert.Equal(2, data["params"]!.AsArray().Count);
    }

    [Fact]
    public async Task LogInputs_RecordsDatasetsOnRun()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        (await _api.PostAsync("/runs/log-inputs", new
        {
            run_id = runId,
            datasets = new[]
            {
                new
                {
                    tags = new[] { new { key = "mlflow.data.context", value = "training" } },
                    dataset = new { name = "flights", digest = "abc123", source_type = "local", source = "{\"uri\":\"flights.csv\"}", schema = "{\"mlflow_colspec\":[]}" },
                },
            },
        })).Ok();

        var input = Assert.Single((await _api.GetRunAsync(runId))["inputs"]!["dataset_inputs"]!.AsArray())!;
        Assert.Equal("flights", (string)input["dataset"]!["name"]!);
        Assert.Equal("abc123", (string)input["dataset"]!["digest"]!);
        Assert.Equal("training", (string)input["tags"]![0]!["value"]!);
        (await _api.PostAsync("/runs/log-inputs", new { run_id = runId, datasets = new[] { new { dataset = new { name = "x" } } } }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task LogModel_AppendsToModelHistoryTag()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var model = $$$"""{"artifact_path":"model","flavors":{"onnx":{}},"utc_time_created":"2026-11-24 10:00:00.000000","run_id":"{{{runId}}}"}""";

        (await _api.PostAsync("/runs/log-model", new { run_id = runId, model_json = model })).Ok();
        (await _api.PostAsync("/runs/log-model", new { run_id = runId, model_json = model })).Ok();

        var history = (await _api.GetRunAsync(runId))["data"]!["tags"]!.AsArray().Single(t => (string)t!["key"]! == "mlflow.log-model.history")!;
        Assert.Equal(2, JsonNode.Parse((string)history["value"]!)!.AsArray().Count);
        (await _api.PostAsync("/runs/log-model", new { run_id = runId, model_json = "{\"artifact_path\":\"m\"}" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task MetricHistory_PagesWithToken()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var metrics = Enumerable.Range(0, 25).Select(i => new { key = "acc", value = i / 25.0, timestamp = 1000L + i, step = (long)i }).ToArray();
        (await _api.PostAsync("/runs/log-batch", new { run_id = runId, metrics })).Ok();

        var steps = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = (await _api.GetAsync($"/metrics/get-history?run_id={runId}&metric_key=acc&max_results=10" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token)))).Ok().Json;
            steps.AddRange(page["metrics"]!.AsArray().Select(m => (long)m!["step"]!));
            token = (string?)page["next_page_token"];
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), steps);
    }

    [Fact]
    public async Task MetricHistory_IsOrderedAcrossBatches_AndAnExactRepeatIsANoOp()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        object Point(long step, long timestamp, double value) => new { key = "loss", value, timestamp, step };
        // Later steps first, a repeat of one point inside a batch and across batches, two points at one step,
        // and a NaN (stored as 0 with a flag, so it must not collapse into a real 0).
        (await _api.PostAsync("/runs/log-batch", new { run_id = runId, metrics = new[] { Point(5, 50, 0.5), Point(3, 30, 0.3), Point(3, 30, 0.3) } })).Ok();
        (await _api.PostAsync("/runs/log-batch", new { run_id = runId, metrics = new[] { Point(1, 10, 0.1), Point(3, 30, 0.3), Point(3, 31, 0.2) } })).Ok();
        (await _api.PostAsync("/runs/log-batch", new { run_id = runId, metrics = new[] { new { key = "loss", value = (object)"NaN", timestamp = 20L, step = 2L }, Point(2, 20, 0.0) } })).Ok();

        var history = (await _api.GetAsync($"/metrics/get-history?run_id={runId}&metric_key=loss")).Ok().Json["metrics"]!.AsArray()
            .Select(m => $"{(long)m!["step"]!}/{(long)m["timestamp"]!}/{m["value"]!.ToJsonString()}").ToList();

        Assert.Equal(["1/10/0.1", "2/20/0", "2/20/\"NaN\"", "3/30/0.3", "3/31/0.2", "5/50/0.5"], history);
        var page = (await _api.GetAsync($"/metrics/get-history?run_id={runId}&metric_key=loss&max_results=2&page_token={Uri.EscapeDataString(PageToken(2))}")).Ok().Json;
        Assert.Equal([2L, 3L], page["metrics"]!.AsArray().Select(m => (long)m!["step"]!));
    }

    private static string PageToken(int offset) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"offset\":{offset}}}"));

    [Fact]
    public async Task MetricHistoryBulkInterval_SamplesStepsPerRun()
    {
        var exp = await _api.CreateExperimentAsync();
        var a = await _api.CreateRunAsync(exp);
        var b = await _api.CreateRunAsync(exp);
        foreach (var run in new[] { a, b })
        {
            var metrics = Enumerable.Range(0, 1000).Select(i => new { key = "loss", value = 1.0 / (i + 1), timestamp = 1L, step = (long)i }).ToArray();
            (await _api.PostAsync("/runs/log-batch", new { run_id = run, metrics })).Ok();
        }

        var points = (await _api.GetAsync($"/metrics/get-history-bulk-interval?run_ids={a}&run_ids={b}&metric_key=loss&max_results=50")).Ok().Json["metrics"]!.AsArray();

        foreach (var run in new[] { a, b })
        {
            var steps = points.Where(p => (string)p!["run_id"]! == run).Select(p => (long)p!["step"]!).ToList();
            Assert.Equal(50, steps.Count);
            Assert.Equal(0L, steps[0]);
            Assert.Equal(999L, steps[^1]);
        }
    }
}

public sealed class RunEndpointTestsOnSqlite(KeelServerFixture server) : RunEndpointTests(server), IClassFixture<KeelServerFixture>;

public sealed class RunEndpointTestsOnPostgres(PostgresKeelServerFixture server) : RunEndpointTests(server), IClassFixture<PostgresKeelServerFixture>;
