using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary>The commands against a loopback server with MLflow-shaped canned answers.</summary>
public class FakeServerTests
{
    private const string Experiments = """
        {"experiments": [
          {"experiment_id": "0", "name": "Default", "artifact_location": "mlflow-artifacts:/0", "lifecycle_stage": "active", "creation_time": 1700000000000},
          {"experiment_id": "4", "name": "churn", "artifact_location": "mlflow-artifacts:/4", "lifecycle_stage": "active", "creation_time": 1700000100000}
        ]}
        """;

    private const string RunObject = """
        {
          "info": {"run_id": "5f1e0c2a9b8d4e7f8a6b5c4d3e2f1a0b", "run_name": "baseline", "experiment_id": "4", "status": "FINISHED",
                   "start_time": 1700000000000, "end_time": 1700000090000, "artifact_uri": "mlflow-artifacts:/4/5f1e/artifacts", "lifecycle_stage": "active"},
          "data": {"metrics": [{"key": "rmse", "value": 0.4321, "timestamp": 1700000080000, "step": 9}],
                   "params": [{"key": "learning_rate", "value": "0.01"}],
                   "tags": [{"key": "mlflow.runName", "value": "baseline"}]},
          "inputs": {"dataset_inputs": [{"tags": [{"key": "mlflow.data.context", "value": "training"}],
                     "dataset": {"name": "telco", "digest": "d41d8cd9", "source_type": "local", "source": "{\"uri\": \"/data/telco.csv\"}"}}]}
        }
        """;

    private static LoopbackResponse NotFound(string message) =>
        new(404, JsonSerializer.Serialize(new Dictionary<string, string> { ["error_code"] = "RESOURCE_DOES_NOT_EXIST", ["message"] = message }));

    private static LoopbackServer StartServer() => LoopbackServer.Start(request => request.PathAndQuery switch
    {
        "/api/2.0/mlflow/experiments/search" => new LoopbackResponse(200, Experiments),
        "/api/2.0/mlflow/experiments/get-by-name?experiment_name=churn" => new LoopbackResponse(200, """{"experiment": {"experiment_id": "4", "name": "churn"}}"""),
        "/api/2.0/mlflow/experiments/get?experiment_id=4" => new LoopbackResponse(200, """{"experiment": {"experiment_id": "4", "name": "churn"}}"""),
        var path when path.StartsWith("/api/2.0/mlflow/experiments/get", StringComparison.Ordinal) => NotFound("No experiment"),
        "/api/2.0/mlflow/runs/search" when request.Body.Contains("bad filter", StringComparison.Ordinal) =>
            new LoopbackResponse(400, """{"error_code": "INVALID_PARAMETER_VALUE", "message": "Invalid filter 'bad filter'"}"""),
        "/api/2.0/mlflow/runs/search" => new LoopbackResponse(200, $$"""{"runs": [{{RunObject}}]}"""),
        "/api/2.0/mlflow/runs/get?run_id=5f1e0c2a9b8d4e7f8a6b5c4d3e2f1a0b" => new LoopbackResponse(200, $$"""{"run": {{RunObject}}}"""),
        "/api/2.0/mlflow/runs/get?run_id=broken" => new LoopbackResponse(500, """{"error_code": "INTERNAL_ERROR", "message": "database is locked"}"""),
        _ => NotFound($"Run with id={request.PathAndQuery.Split('=').Last()} not found"),
    });

    [Fact]
    public async Task ExperimentsList_PrintsTable()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("experiments", "list", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("churn", result.Output, StringComparison.Ordinal);
        Assert.Contains("mlflow-artifacts:/4", result.Output, StringComparison.Ordinal);
        var request = Assert.Single(server.Requests);
        Assert.Contains("\"view_type\":\"ACTIVE_ONLY\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExperimentsList_WithJsonAndViewAll_PrintsMlflowShapedArray()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("experiments", "list", "--view", "all", "--json", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var experiments = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(["0", "4"], experiments.EnumerateArray().Select(e => e.GetProperty("experiment_id").GetString()));
        Assert.Equal(1700000100000, experiments[1].GetProperty("creation_time").GetInt64());
        Assert.Contains("\"view_type\":\"ALL\"", Assert.Single(server.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsList_ByExperimentName_PrintsRuns()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("runs", "list", "--experiment", "churn", "--order-by", "metrics.rmse ASC", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("5f1e0c2a9b8d4e7f8a6b5c4d3e2f1a0b", result.Output, StringComparison.Ordinal);
        Assert.Contains("FINISHED", result.Output, StringComparison.Ordinal);
        Assert.Contains("1m 30s", result.Output, StringComparison.Ordinal);
        var search = server.Requests.Single(r => r.PathAndQuery == "/api/2.0/mlflow/runs/search");
        Assert.Contains("\"experiment_ids\":[\"4\"]", search.Body, StringComparison.Ordinal);
        Assert.Contains("\"order_by\":[\"metrics.rmse ASC\"]", search.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsList_ByExperimentId_LooksUpTheId()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("runs", "list", "-e", "4", "--json", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("baseline", JsonDocument.Parse(result.Output).RootElement[0].GetProperty("info").GetProperty("run_name").GetString());
    }

    [Fact]
    public async Task RunsList_WithUnknownExperiment_ReturnsNotFound()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("runs", "list", "--experiment", "nope", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("'nope'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsList_WithFilterTheServerRejects_ReturnsInvalidArguments()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("runs", "list", "--experiment", "churn", "--filter", "bad filter", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("Invalid filter", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsShow_PrintsInfoParamsMetricsTagsAndInputs()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("runs", "show", "5f1e0c2a9b8d4e7f8a6b5c4d3e2f1a0b", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        foreach (var expected in new[] { "baseline", "learning_rate", "0.01", "rmse", "0.4321", "mlflow.runName", "telco", "mlflow.data.context=training" })
        {
            Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunsShow_WithJson_PrintsTheRun()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("runs", "show", "5f1e0c2a9b8d4e7f8a6b5c4d3e2f1a0b", "--json", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var run = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("FINISHED", run.GetProperty("info").GetProperty("status").GetString());
        Assert.Equal("telco", run.GetProperty("inputs").GetProperty("dataset_inputs")[0].GetProperty("dataset").GetProperty("name").GetString());
    }

    [Fact]
    public async Task RunsShow_WithUnknownRun_ReturnsNotFound()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("runs", "show", "missing", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal("Error: Run with id=missing not found", result.Error.Trim());
    }

    [Fact]
    public async Task RunsShow_WhenServerFails_ReturnsServerError()
    {
        await using var server = StartServer();

        var result = await CliRunner.RunAsync("runs", "show", "broken", "--tracking-uri", server.Uri);

        Assert.Equal(ExitCodes.ServerError, result.ExitCode);
        Assert.Contains("INTERNAL_ERROR", result.Error, StringComparison.Ordinal);
        Assert.Contains("database is locked", result.Error, StringComparison.Ordinal);
    }
}
