namespace Keel.Server.Tests;

/// <summary>Bad input gets a 4xx with MLflow's error body and changes nothing already stored.</summary>
public abstract class BadInputTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new MlflowApi(server.Http);

    public static TheoryData<string> MalformedBodies => new()
    {
        "{not json",
        "[1, 2, 3]",
        "{\"run_id\": 5, \"key\": \"k\", \"value\": 1, \"timestamp\": 1}",
        "{\"run_id\": \"RUN\", \"key\": \"k\", \"value\": {\"x\": 1}, \"timestamp\": 1}",
        "{\"run_id\": \"RUN\", \"key\": \"k\", \"value\": 1, \"timestamp\": \"yesterday\"}",
        "{\"run_id\": \"RUN\", \"key\": \"k\", \"value\": true, \"timestamp\": 1}",
        "{\"run_id\": \"RUN\", \"key\": \"k\", \"timestamp\": 1}",
        "{\"run_id\": \"RUN\", \"key\": \"k\", \"value\": 1, \"timestamp\": -5}",
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task LogMetric_WithMalformedOrMistypedBody_Returns400AndWritesNothing(string body)
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        (await _api.PostRawAsync("/runs/log-metric", body.Replace("RUN", runId, StringComparison.Ordinal))).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        Assert.Null((await _api.GetRunAsync(runId))["data"]!["metrics"]);
    }

    public static TheoryData<int, int, int> OversizedBatches => new()
    {
        { 1001, 0, 0 },
        { 0, 101, 0 },
        { 0, 0, 101 },
        { 1000, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(OversizedBatches))]
    public async Task LogBatch_OverMlflowLimits_Returns400AndWritesNothing(int metrics, int parameters, int tags)
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());

        var message = (await _api.PostAsync("/runs/log-batch", new
        {
            run_id = runId,
            metrics = Enumerable.Range(0, metrics).Select(i => new { key = "m", value = 1.0, timestamp = 1L, step = (long)i }),
            @params = Enumerable.Range(0, parameters).Select(i => new { key = $"p{i}", value = "v" }),
            tags = Enumerable.Range(0, tags).Select(i => new { key = $"t{i}", value = "v" }),
        })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        Assert.Contains("A batch logging request can contain at most", message);
        var data = (await _api.GetRunAsync(runId))["data"]!;
        Assert.Null(data["metrics"]);
        Assert.Null(data["params"]);
    }

    public static TheoryData<string, object> InvalidKeysAndValues => new()
    {
        { "/runs/log-metric", new { key = new string('k', 251), value = 1.0, timestamp = 1L } },
        { "/runs/log-metric", new { key = "bad*name", value = 1.0, timestamp = 1L } },
        { "/runs/log-metric", new { key = "../escape", value = 1.0, timestamp = 1L } },
        { "/runs/log-metric", new { key = "/absolute", value = 1.0, timestamp = 1L } },
        { "/runs/log-parameter", new { key = "p", value = new string('v', 6001) } },
        { "/runs/log-parameter", new { key = "", value = "v" } },
        { "/runs/set-tag", new { key = "t", value = new string('v', 5001) } },
        { "/runs/set-tag", new { key = "a//b", value = "v" } },
    };

    [Theory]
    [MemberData(nameof(InvalidKeysAndValues))]
    public async Task InvalidKeyOrValue_Returns400(string path, object fields)
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(fields))!.AsObject();
        body["run_id"] = runId;

        (await _api.PostRawAsync(path, body.ToJsonString())).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task SearchRuns_WithBadFilterOrToken_Returns400()
    {
        var exp = await _api.CreateExperimentAsync();
        (await _api.PostAsync("/runs/search", new { experiment_ids = new[] { exp }, filter = "metrics.a > 1 OR metrics.b < 2" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.PostAsync("/runs/search", new { experiment_ids = new[] { exp }, filter = "nonsense.a = 1" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.PostAsync("/runs/search", new { experiment_ids = new[] { exp }, page_token = "garbage!" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.PostAsync("/runs/search", new { experiment_ids = new[] { exp }, max_results = 50001 })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task SearchRuns_FiltersOrdersAndPages()
    {
        var exp = await _api.CreateExperimentAsync();
        var runs = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var runId = await _api.CreateRunAsync(exp);
            (await _api.PostAsync("/runs/log-batch", new
            {
                run_id = runId,
                metrics = new[] { new { key = "score", value = (double)i, timestamp = 1L, step = 0L } },
                @params = new[] { new { key = "family", value = i % 2 == 0 ? "even" : "odd" } },
            })).Ok();
            runs.Add(runId);
        }

        var found = new List<string>();
        string? token = null;
        do
        {
            var page = (await _api.PostAsync("/runs/search", new
            {
                experiment_ids = new[] { exp },
                filter = "params.family = 'even' and metrics.score >= 2",
                order_by = new[] { "metrics.score DESC" },
                max_results = 1,
                page_token = token,
            })).Ok().Json;
            found.AddRange(page["runs"]!.AsArray().Select(r => (string)r!["info"]!["run_id"]!));
            token = (string?)page["next_page_token"];
        }
        while (token is not null);

        Assert.Equal(new[] { runs[6], runs[4], runs[2] }, found);
    }

    [Fact]
    public async Task SearchExperiments_ByNameLike()
    {
        var prefix = "searchable-" + Guid.NewGuid().ToString("N")[..8];
        await _api.CreateExperimentAsync(prefix + "-a");
        await _api.CreateExperimentAsync(prefix + "-b");

        var experiments = (await _api.PostAsync("/experiments/search", new { filter = $"name LIKE '{prefix}%'", order_by = new[] { "name DESC" } })).Ok().Json["experiments"]!.AsArray();

        Assert.Equal(new[] { prefix + "-b", prefix + "-a" }, experiments.Select(e => (string)e!["name"]!));
    }
}

public sealed class BadInputTestsOnSqlite(KeelServerFixture server) : BadInputTests(server), IClassFixture<KeelServerFixture>;

public sealed class BadInputTestsOnPostgres(PostgresKeelServerFixture server) : BadInputTests(server), IClassFixture<PostgresKeelServerFixture>;
