using System.Net.Http.Json;
using static Keel.Server.Tests.Infrastructure.RegistryApi;

namespace Keel.Server.Tests;

public abstract class GateEndpointTests(KeelServerFixture server)
{
    private const string Gate = """
        name: release
        # the evaluation contract's metric names
        conditions:
          - f1 >= 0.8
          - f1 >= baseline.f1 - 0.01
          - max_slice_gap(recall) <= 0.1
          - data_validation == passed
          - roc_auc >= 0.7
        """;

    private readonly MlflowApi _api = new(server.Http);

    [Fact]
    public async Task Check_ReportsEveryCondition_WithActualValues()
    {
        var runId = await RunWithAsync(new() { ["f1"] = 0.82, ["baseline.f1"] = 0.85, ["slice_gap.region.recall"] = 0.15, ["slice_gap.age.recall"] = 0.05 },
            ("keel.data_validation", "passed"));

        var result = await CheckAsync(new { run_id = runId, gate = Gate });

        Assert.Equal("release", (string)result["gate"]!);
        Assert.False((bool)result["passed"]!);
        Assert.Equal("failed", (string)result["status"]!);
        var conditions = result["conditions"]!.AsArray();
        Assert.Equal([true, false, false, true, false], conditions.Select(c => (bool)c!["passed"]!));
        Assert.Equal([4, 5, 6, 7, 8], conditions.Select(c => (int)c!["line"]!));
        Assert.Equal("0.82", (string)conditions[1]!["actual"]!);
        Assert.Equal(">= 0.84", (string)conditions[1]!["expected"]!);
        Assert.Equal("0.15", (string)conditions[2]!["actual"]!);
        Assert.Equal("metric roc_auc not logged", (string)conditions[4]!["message"]!);
    }

    [Fact]
    public async Task Check_WithParseError_Returns400NamingTheLine()
    {
        var runId = await RunWithAsync(new() { ["f1"] = 0.9 });

        using var response = await server.Http.PostAsJsonAsync("/api/keel/v1/gates/check",
            new { run_id = runId, gate = "name: g\nconditions:\n  - f1 >= 0.8\n  - f1 >=\n" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("INVALID_PARAMETER_VALUE", (string)problem["errorCode"]!);
        Assert.Contains("line 4", (string)problem["detail"]!);
    }

    [Fact]
    public async Task GateResultTags_CannotBeSetOrDeletedByClients_OnlyRecordedByACheck()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);
        await _api.CreateVersionAsync(name);

        var set = await _api.PostAsync("/model-versions/set-tag", new { name, version = "1", key = "keel.gate.release", value = "passed" });
        var created = await _api.PostAsync("/model-versions/create",
            new { name, source = "s3://elsewhere/m", tags = new[] { new { key = "keel.gate.release", value = "passed" } } });
        using var deleted = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/2.0/mlflow/model-versions/delete-tag")
        {
            Content = JsonContent.Create(new { name, version = "1", key = "keel.gate.release" }),
        });

        Assert.Contains("set only by gate checks", set.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"));
        Assert.Contains("set only by gate checks", created.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"));
        Assert.Equal(HttpStatusCode.BadRequest, deleted.StatusCode);
        var runId = await RunWithAsync(new() { ["f1"] = 0.9 });
        await CheckAsync(new { run_id = runId, gate = "name: release\nconditions:\n  - f1 >= 0.8\n", record_on = $"models:/{name}/1" });
        var model = JsonNode.Parse(await server.Http.GetStringAsync($"/api/2.0/mlflow/registered-models/get?name={name}"))!["registered_model"]!;
        var version = JsonNode.Parse(await server.Http.GetStringAsync($"/api/2.0/mlflow/model-versions/get?name={name}&version=1"))!["model_version"]!;
        Assert.Contains(version["tags"]!.AsArray(), t => (string)t!["key"]! == "keel.gate.release" && (string)t["value"]! == "passed");
        // The refused create made no version 2.
        Assert.Equal(["1"], model["latest_versions"]!.AsArray().Select(v => (string)v!["version"]!));
    }

    [Fact]
    public async Task ProtectedAlias_IsRefusedWithoutPassedGate_AndAllowedAfterRecord()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name, new { name, tags = new[] { new { key = "keel.require_gate.champion", value = "release" } } });
        await _api.CreateVersionAsync(name);
        var failing = await RunWithAsync(new() { ["f1"] = 0.7 });
        var passing = await RunWithAsync(new() { ["f1"] = 0.9 });
        const string gate = "name: release\nconditions:\n  - f1 >= 0.8\n";

        var message = (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "1" })).Error(HttpStatusCode.BadRequest, "INVALID_STATE");
        Assert.Contains("gate 'release'", message);
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "staging", version = "1" })).Ok();

        var failed = await CheckAsync(new { run_id = failing, gate, record_on = $"models:/{name}/1" });
        Assert.Equal("failed", (string)failed["status"]!);
        message = (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "1" })).Error(HttpStatusCode.BadRequest, "INVALID_STATE");
        Assert.Contains("keel.gate.release = failed", message);
        Assert.DoesNotContain((await _api.GetModelAsync(name))["aliases"]?.AsArray() ?? [], a => (string)a!["alias"]! == "champion");

        var passed = await CheckAsync(new { run_id = passing, gate, record_on = $"models:/{name}/1" });
        Assert.True((bool)passed["passed"]!);
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "1" })).Ok();

        var tags = (await _api.GetVersionAsync(name, "1"))["tags"]!.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!);
        Assert.Equal("passed", tags["keel.gate.release"]);
        Assert.Equal(passing, tags["keel.gate.release.run_id"]);
        Assert.StartsWith("sha256:", tags["keel.gate.release.digest"]);
        Assert.Equal("1", (string)(await _api.GetAsync($"/registered-models/alias?name={name}&alias=champion")).Ok().Json["model_version"]!["version"]!);
    }

    private async Task<JsonNode> CheckAsync(object body)
    {
        using var response = await server.Http.PostAsJsonAsync("/api/keel/v1/gates/check", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private async Task<string> RunWithAsync(Dictionary<string, double> metrics, params (string Key, string Value)[] tags)
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        (await _api.PostAsync("/runs/log-batch", new
        {
            run_id = runId,
            metrics = metrics.Select(m => new { key = m.Key, value = m.Value, timestamp = 1L, step = 0L }),
            tags = tags.Select(t => new { key = t.Key, value = t.Value }),
        })).Ok();
        return runId;
    }
}

public sealed class GateEndpointTestsOnSqlite(KeelServerFixture server) : GateEndpointTests(server), IClassFixture<KeelServerFixture>;

public sealed class GateEndpointTestsOnPostgres(PostgresKeelServerFixture server) : GateEndpointTests(server), IClassFixture<PostgresKeelServerFixture>;
