using System.Net.Http.Json;
using static Keel.Server.Tests.Infrastructure.RegistryApi;

namespace Keel.Server.Tests;

/// <summary>GET /api/keel/v1/lineage/... and the model card: a run's data, through a registered version, over HTTP.</summary>
public abstract class LineageEndpointTests(KeelServerFixture server)
{
    private const string Mlmodel = """
        artifact_path: model
        flavors:
          python_function:
            loader_module: mlflow.sklearn
            python_version: 3.11.4
        signature:
          inputs: '[{"type": "double", "name": "distance", "required": true}, {"type": "string", "name": "carrier", "required": false}]'
          outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
          params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}]'
        """;

    private readonly MlflowApi _api = new(server.Http);

    /// <summary>A finished run with params, metrics, a training dataset and a model directory, registered as version 1 by alice.</summary>
    private async Task<(string Name, string RunId, string ExperimentId)> TrainAndRegisterAsync(bool withMlmodel = true)
    {
        var experimentId = await _api.CreateExperimentAsync();
        var runId = await _api.CreateRunAsync(experimentId, new { experiment_id = experimentId, run_name = "sweep-3", user_id = "bob" });
        (await _api.PostAsync("/runs/log-batch", new
        {
            run_id = runId,
            @params = new[] { new { key = "lr", value = "0.1" }, new { key = "trees", value = "50" } },
            metrics = new[]
            {
                new { key = "val_auc", value = 0.71, timestamp = 1700000000000, step = 0 },
                new { key = "val_auc", value = 0.83, timestamp = 1700000001000, step = 10 },
            },
        })).Ok();
        (await _api.PostAsync("/runs/log-inputs", new
        {
            run_id = runId,
            datasets = new[]
            {
                new
                {
                    tags = new[] { new { key = "mlflow.data.context", value = "training" } },
                    dataset = new { name = "flights", digest = "abc123", source_type = "local", source = "{\"uri\":\"flights.csv\"}" },
                },
            },
        })).Ok();
        if (withMlmodel)
        {
            using var put = await server.Http.PutAsync(
                $"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/model/MLmodel", new StringContent(Mlmodel));
            put.EnsureSuccessStatusCode();
        }

        (await _api.PostAsync("/runs/update", new { run_id = runId, status = "FINISHED", end_time = 1700000090000 })).Ok();
        var name = UniqueName("lineage");
        await _api.CreateModelAsync(name);
        await SendAsUserAsync("alice", HttpMethod.Post, "/api/2.0/mlflow/model-versions/create",
            new { name, source = $"runs:/{runId}/model", description = "Predicts departure delays." });
        return (name, runId, experimentId);
    }

    private async Task SendAsUserAsync(string user, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Keel-User", user);
        using var response = await server.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await server.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static string Lineage(string name, string version) => $"/api/keel/v1/lineage/models/{Uri.EscapeDataString(name)}/versions/{version}";

    private static string Card(string name, string version) => $"/api/keel/v1/models/{Uri.EscapeDataString(name)}/versions/{version}/card";

    [Fact]
    public async Task Lineage_OfAVersionFromARun_ReturnsTheRunItsParamsLatestMetricsAndDatasets()
    {
        var (name, runId, experimentId) = await TrainAndRegisterAsync();

        var lineage = await GetJsonAsync(Lineage(name, "1"));

        Assert.Equal(name, (string)lineage["model_version"]!["name"]!);
        Assert.Equal("1", (string)lineage["model_version"]!["version"]!);
        Assert.Equal($"runs:/{runId}/model", (string)lineage["model_version"]!["source"]!);
        var run = lineage["run"]!;
        Assert.Equal(runId, (string)run["run_id"]!);
        Assert.Equal("sweep-3", (string)run["run_name"]!);
        Assert.Equal(experimentId, (string)run["experiment_id"]!);
        Assert.StartsWith("exp-", (string)run["experiment_name"]!, StringComparison.Ordinal);
        Assert.Equal("FINISHED", (string)run["status"]!);
        Assert.Equal(1700000090000, (long)run["end_time"]!);
        Assert.True((long)run["start_time"]! > 0);
        Assert.Equal("bob", (string)run["user"]!);
        Assert.Equal(["lr=0.1", "trees=50"], run["params"]!.AsArray().Select(p => $"{p!["key"]}={p["value"]}").ToArray());
        var metric = Assert.Single(run["metrics"]!.AsArray())!;
        Assert.Equal(("val_auc", 0.83, 10L), ((string)metric["key"]!, (double)metric["value"]!, (long)metric["step"]!));
        var dataset = Assert.Single(run["datasets"]!.AsArray())!;
        Assert.Equal("flights", (string)dataset["name"]!);
        Assert.Equal("abc123", (string)dataset["digest"]!);
        Assert.Equal("local", (string)dataset["source_type"]!);
        Assert.Equal("{\"uri\":\"flights.csv\"}", (string)dataset["source"]!);
        Assert.Equal("training", (string)dataset["context"]!);
        Assert.Empty(lineage["data_versions"]!.AsArray());
        Assert.Empty(lineage["deployments"]!.AsArray());
    }

    [Fact]
    public async Task Lineage_OfAVersionFromAnExternalSource_HasNullRunAndEmptyDeployments()
    {
        var name = UniqueName("external");
        await _api.CreateModelAsync(name);
        await _api.CreateVersionAsync(name, "s3://elsewhere/models/churn");

        var lineage = await GetJsonAsync(Lineage(name, "1"));

        Assert.Equal("s3://elsewhere/models/churn", (string)lineage["model_version"]!["source"]!);
        var body = lineage.AsObject();
        Assert.True(body.ContainsKey("run"));
        Assert.Null(body["run"]);
        Assert.Empty(body["deployments"]!.AsArray());
    }

    [Fact]
    public async Task Lineage_OfADeployedVersion_NamesEachDeploymentAndRoleServingIt()
    {
        var (name, _, _) = await TrainAndRegisterAsync();
        await _api.CreateVersionAsync(name, "s3://elsewhere/models/v2");
        var (main, other) = (UniqueName("dep"), UniqueName("dep"));
        await SendAsUserAsync("carol", HttpMethod.Post, "/api/keel/v1/deployments",
            new { name = main, model = $"models:/{name}/1", canary = new { model = $"models:/{name}/2", percent = 30 } });
        await SendAsUserAsync("carol", HttpMethod.Post, "/api/keel/v1/deployments",
            new { name = other, model = $"models:/{name}/2", shadow = $"models:/{name}/1" });

        var first = (await GetJsonAsync(Lineage(name, "1")))["deployments"]!.AsArray();
        var second = (await GetJsonAsync(Lineage(name, "2")))["deployments"]!.AsArray();

        static string Describe(JsonNode? d) => $"{d!["name"]} r{d["revision"]} {d["role"]} {d["percent"]?.ToString() ?? "-"}";
        Assert.Equal(new[] { $"{main} r1 primary 70", $"{other} r1 shadow -" }.Order(StringComparer.Ordinal), first.Select(Describe).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { $"{main} r1 canary 30", $"{other} r1 primary 100" }.Order(StringComparer.Ordinal), second.Select(Describe).Order(StringComparer.Ordinal));
        Assert.All(first, d => Assert.Equal("PENDING", (string)d!["status"]!));
    }

    [Fact]
    public async Task Trace_OfAPrediction_FollowsItToTheRevisionTheVersionItsPromotionTheRunAndItsParams()
    {
        var (name, runId, _) = await TrainAndRegisterAsync();
        await SendAsUserAsync("dave", HttpMethod.Post, "/api/2.0/mlflow/registered-models/alias", new { name, alias = "champion", version = "1" });
        var deployment = UniqueName("dep");
        await SendAsUserAsync("carol", HttpMethod.Post, "/api/keel/v1/deployments", new { name = deployment, model = $"models:/{name}@champion" });
        var id = Guid.NewGuid().ToString();
        // What a serving host sends for each answered row.
        await SendAsUserAsync("carol", HttpMethod.Post, "/api/keel/v1/predictions", new
        {
            predictions = new[]
            {
                new
                {
                    prediction_id = id, model_name = name, model_version = 1, deployment, revision = 1, request_key = "req-7",
                    inputs = new { distance = 420.0 }, outputs = new { score = 0.8 }, latency_micros = 900, time = 1700000100000,
                },
            },
        });

        var trace = await GetJsonAsync($"/api/keel/v1/trace/predictions/{id}");

        Assert.Equal((id, deployment, 1L, "req-7"), ((string)trace["prediction"]!["prediction_id"]!, (string)trace["prediction"]!["deployment"]!,
            (long)trace["prediction"]!["revision"]!, (string)trace["prediction"]!["request_key"]!));
        var revision = trace["deployment_revision"]!;
        Assert.Equal((1L, "carol", $"models:/{name}@champion", 1L), ((long)revision["revision"]!, (string)revision["actor"]!, (string)revision["model"]!, (long)revision["model_version"]!));
        var version = trace["model_version"]!;
        Assert.Equal(("1", "alice", runId), ((string)version["version"]!, (string)version["registered_by"]!, (string)version["run_id"]!));
        var promotion = Assert.Single(version["history"]!.AsArray())!;
        Assert.Equal(("champion", "dave"), ((string)promotion["alias"]!, (string)promotion["actor"]!));
        Assert.Equal(["lr=0.1", "trees=50"], version["run"]!["params"]!.AsArray().Select(p => $"{p!["key"]}={p["value"]}"));
        Assert.Equal("training", (string)version["training_data"]![0]!["context"]!);
        Assert.Empty(trace["data_versions"]!.AsArray());
    }

    [Fact]
    public async Task Trace_OfAnUnknownPrediction_Is404ProblemDetails_AndOfOneLoggedOutsideADeploymentHasNoRevision()
    {
        using var missing = await server.Http.GetAsync($"/api/keel/v1/trace/predictions/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        var id = Guid.NewGuid().ToString();
        var name = UniqueName("gone");
        await SendAsUserAsync("carol", HttpMethod.Post, "/api/keel/v1/predictions", new
        {
            predictions = new[] { new { prediction_id = id, model_name = name, model_version = 3, inputs = new { x = 1 }, outputs = 1, time = 1700000100000 } },
        });

        var trace = (await GetJsonAsync($"/api/keel/v1/trace/predictions/{id}")).AsObject();

        Assert.Equal(name, (string)trace["prediction"]!["model_name"]!);
        Assert.Null(trace["deployment_revision"]);
        Assert.Null(trace["model_version"]);
        Assert.True(trace.ContainsKey("deployment_revision") && trace.ContainsKey("model_version"));
    }

    [Theory]
    [InlineData(false, "1")]
    [InlineData(true, "7")]
    public async Task LineageAndCard_OfAnUnknownModelOrVersion_Return404ProblemDetails(bool modelExists, string version)
    {
        var name = UniqueName("missing");
        if (modelExists)
        {
            await _api.CreateModelAsync(name);
        }

        foreach (var path in new[] { Lineage(name, version), Card(name, version) })
        {
            using var response = await server.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string)problem["errorCode"]!);
            Assert.Contains(name, (string)problem["detail"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Lineage_WithANonNumericVersion_Returns400ProblemDetails()
    {
        using var response = await server.Http.GetAsync(Lineage("m", "three"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorCode"]!);
    }

    [Fact]
    public async Task Card_AsJson_HasFreeTextSignatureTrainingDataMetricsParamsAndWhoRegisteredIt()
    {
        var (name, runId, _) = await TrainAndRegisterAsync();
        (await _api.PostAsync("/model-versions/set-tag", new { name, version = "1", key = "keel.card.intended_use", value = "Ranking flights by delay risk." })).Ok();
        (await _api.PostAsync("/model-versions/set-tag", new { name, version = "1", key = "keel.card.limitations", value = "January 2001 only." })).Ok();

        var card = await GetJsonAsync(Card(name, "1"));

        Assert.Equal(name, (string)card["name"]!);
        Assert.Equal("1", (string)card["version"]!);
        Assert.Equal("Predicts departure delays.", (string)card["description"]!);
        Assert.Equal("Ranking flights by delay risk.", (string)card["intended_use"]!);
        Assert.Equal("January 2001 only.", (string)card["limitations"]!);
        Assert.Equal("alice", (string)card["registered_by"]!);
        Assert.True((long)card["registered_at"]! > 1700000000000);
        Assert.Equal(runId, (string)card["run_id"]!);
        Assert.Equal(runId, (string)card["run"]!["run_id"]!);
        var inputs = card["signature"]!["inputs"]!.AsArray();
        Assert.Equal(["distance:double:true", "carrier:string:false"], inputs.Select(f => $"{f!["name"]}:{f["type"]}:{f["required"]}").ToArray());
        Assert.Equal("tensor float64 (-1)", (string)Assert.Single(card["signature"]!["outputs"]!.AsArray())!["type"]!);
        Assert.Equal("double (default 0.5)", (string)Assert.Single(card["signature"]!["params"]!.AsArray())!["type"]!);
        Assert.Equal("flights", (string)Assert.Single(card["training_data"]!.AsArray())!["name"]!);
        Assert.Equal(0.83, (double)Assert.Single(card["metrics"]!.AsArray())!["value"]!);
        Assert.Equal(2, card["params"]!.AsArray().Count);
        Assert.Empty(card["history"]!.AsArray());
    }

    [Fact]
    public async Task Card_OfAVersionWithoutMlmodel_HasNullSignature_AndExternalSourceHasNullRun()
    {
        var (name, _, _) = await TrainAndRegisterAsync(withMlmodel: false);
        var external = UniqueName("external");
        await _api.CreateModelAsync(external);
        await _api.CreateVersionAsync(external, "s3://elsewhere/model");

        var card = (await GetJsonAsync(Card(name, "1"))).AsObject();
        var externalCard = (await GetJsonAsync(Card(external, "1"))).AsObject();

        Assert.True(card.ContainsKey("signature"));
        Assert.Null(card["signature"]);
        Assert.NotNull(card["run"]);
        Assert.Null(externalCard["run"]);
        Assert.Null(externalCard["signature"]);
        Assert.Empty(externalCard["training_data"]!.AsArray());
        Assert.Equal("anonymous", (string)externalCard["registered_by"]!);
    }

    [Fact]
    public async Task Card_History_ListsAliasMovesAndStageTransitionsInOrder_WithActors()
    {
        var (name, _, _) = await TrainAndRegisterAsync();
        await _api.CreateVersionAsync(name, "s3://elsewhere/v2");
        await SendAsUserAsync("carol", HttpMethod.Post, "/api/2.0/mlflow/registered-models/alias", new { name, alias = "champion", version = "1" });
        await SendAsUserAsync("dave", HttpMethod.Post, "/api/2.0/mlflow/model-versions/transition-stage",
            new { name, version = "1", stage = "Production", archive_existing_versions = false });
        await SendAsUserAsync("erin", HttpMethod.Post, "/api/2.0/mlflow/registered-models/alias", new { name, alias = "champion", version = "2" });
        // Another version's own changes are not version 1's history.
        await SendAsUserAsync("erin", HttpMethod.Post, "/api/2.0/mlflow/model-versions/transition-stage",
            new { name, version = "2", stage = "Staging", archive_existing_versions = false });

        var history = (await GetJsonAsync(Card(name, "1")))["history"]!.AsArray();

        Assert.Equal(
            [
                "carol MODEL_VERSION_ALIAS_CREATED alias @champion set",
                "dave MODEL_VERSION_TRANSITIONED_STAGE stage None → Production",
                "erin MODEL_VERSION_ALIAS_CREATED alias @champion moved to version 2",
            ],
            history.Select(h => $"{h!["actor"]} {h["event_type"]} {h["change"]}").ToArray());
        Assert.Equal("Production", (string)history[1]!["to_stage"]!);
        Assert.Equal("1", (string)history[2]!["previous_version"]!);
        Assert.True(history.Select(h => (long)h!["id"]!).Order().SequenceEqual(history.Select(h => (long)h!["id"]!)));
    }

    [Fact]
    public async Task Card_History_FollowsTheModelAcrossARename()
    {
        var (name, _, _) = await TrainAndRegisterAsync();
        await SendAsUserAsync("carol", HttpMethod.Post, "/api/2.0/mlflow/registered-models/alias", new { name, alias = "champion", version = "1" });
        var renamed = name + "-renamed";
        (await _api.PostAsync("/registered-models/rename", new { name, new_name = renamed })).Ok();
        // A new model under the old name must not lend its events to the renamed one.
        await _api.CreateModelAsync(name);
        await _api.CreateVersionAsync(name, "s3://elsewhere/other");
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "1" })).Ok();

        var card = await GetJsonAsync(Card(renamed, "1"));

        Assert.Equal("alice", (string)card["registered_by"]!);
        Assert.Equal("carol", (string)Assert.Single(card["history"]!.AsArray())!["actor"]!);
    }

    [Theory]
    [InlineData("?format=markdown", null)]
    [InlineData("", "text/markdown")]
    [InlineData("", "application/json;q=0.5, text/markdown")]
    public async Task Card_AsMarkdown_HasHeadingsAndTables(string query, string? accept)
    {
        var (name, runId, _) = await TrainAndRegisterAsync();
        (await _api.PostAsync("/model-versions/set-tag", new { name, version = "1", key = "keel.card.limitations", value = "Not for\nlive traffic." })).Ok();
        using var request = new HttpRequestMessage(HttpMethod.Get, Card(name, "1") + query);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await server.Http.SendAsync(request);
        var markdown = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith($"# {name} version 1\n\nPredicts departure delays.\n", markdown, StringComparison.Ordinal);
        foreach (var heading in new[] { "## Intended use", "## Limitations", "## Signature", "### Inputs", "### Outputs", "### Params",
                     "## Training data", "## Evaluation metrics", "## Parameters", "## Stage and alias history" })
        {
            Assert.Contains("\n" + heading + "\n", markdown, StringComparison.Ordinal);
        }

        Assert.Contains("_Not documented. Set the model-version tag `keel.card.intended_use`._", markdown, StringComparison.Ordinal);
        Assert.Contains("## Limitations\n\nNot for\nlive traffic.\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Registered by | alice |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Run | sweep-3 ({runId}) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Name | Type | Required |\n|---|---|---|\n| distance | double | yes |\n| carrier | string | no |", markdown, StringComparison.Ordinal);
        Assert.Contains("| flights | abc123 | training | local | {\"uri\":\"flights.csv\"} |", markdown, StringComparison.Ordinal);
        Assert.Contains("| val_auc | 0.83 | 10 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| lr | 0.1 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_WithAnUnknownFormat_Returns400ProblemDetails()
    {
        var (name, _, _) = await TrainAndRegisterAsync(withMlmodel: false);

        using var response = await server.Http.GetAsync(Card(name, "1") + "?format=pdf");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorCode"]!);
    }
}

public sealed class LineageEndpointTestsOnSqlite(KeelServerFixture server) : LineageEndpointTests(server), IClassFixture<KeelServerFixture>;

public sealed class LineageEndpointTestsOnPostgres(PostgresKeelServerFixture server) : LineageEndpointTests(server), IClassFixture<PostgresKeelServerFixture>;
