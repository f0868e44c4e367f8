using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Client;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary>The commands against a real Keel server, with data logged through the .NET client.</summary>
public sealed class RealServerTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>
{
    private readonly KeelClient _client = new(server.Http);
    private readonly string _trackingUri = server.BaseAddress.ToString();

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--tracking-uri", _trackingUri]);

    /// <summary>An experiment with four runs: three "tree" runs and one "linear", each with a val_auc.</summary>
    private async Task<(string Name, Dictionary<string, string> RunIds)> CreateSweepAsync()
    {
        var name = UniqueName("cli-sweep");
        var experimentId = await _client.CreateExperimentAsync(name);
        var runIds = new Dictionary<string, string>();
        foreach (var (runName, model, auc) in new[] { ("tree-a", "tree", 0.71), ("linear", "linear", 0.93), ("tree-b", "tree", 0.88), ("tree-c", "tree", 0.64) })
        {
            var run = await _client.CreateRunAsync(experimentId, runName);
            await _client.LogBatchAsync(run.Info.RunId, [new Metric("val_auc", auc, 1700000000000, 9)], [new Param("model", model)]);
            await _client.UpdateRunAsync(run.Info.RunId, RunStatus.Finished, run.Info.StartTime + 90_000);
            runIds[runName] = run.Info.RunId;
        }

        return (name, runIds);
    }

    [Fact]
    public async Task ExperimentsList_ShowsActiveExperiments_AndViewDeletedShowsDeletedOnes()
    {
        var active = UniqueName("cli-active");
        var deleted = UniqueName("cli-deleted");
        var activeId = await _client.CreateExperimentAsync(active);
        var deletedId = await _client.CreateExperimentAsync(deleted);
        await _client.DeleteExperimentAsync(deletedId);

        var table = await RunAsync("experiments", "list");
        var json = await RunAsync("experiments", "list", "--view", "deleted", "--json");

        Assert.Equal(ExitCodes.Success, table.ExitCode);
        Assert.Contains(active, table.Output, StringComparison.Ordinal);
        Assert.Contains($"mlflow-artifacts:/{activeId}", table.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(deleted, table.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, json.ExitCode);
        var experiments = JsonDocument.Parse(json.Output).RootElement.EnumerateArray().ToList();
        var listed = Assert.Single(experiments, e => e.GetProperty("experiment_id").GetString() == deletedId);
        Assert.Equal(deleted, listed.GetProperty("name").GetString());
        Assert.Equal("deleted", listed.GetProperty("lifecycle_stage").GetString());
        Assert.DoesNotContain(experiments, e => e.GetProperty("experiment_id").GetString() == activeId);
    }

    [Fact]
    public async Task RunsList_WithFilterAndOrderBy_PrintsTheMatchingRunsInOrder()
    {
        var (experiment, runIds) = await CreateSweepAsync();

        var result = await RunAsync("runs", "list", "--experiment", experiment, "--filter", "params.model = 'tree' and metrics.val_auc > 0.65", "--order-by", "metrics.val_auc DESC");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var rows = result.Output.Split('\n').Where(line => runIds.Values.Any(id => line.Contains(id, StringComparison.Ordinal))).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains(runIds["tree-b"], rows[0], StringComparison.Ordinal);
        Assert.Contains(runIds["tree-a"], rows[1], StringComparison.Ordinal);
        Assert.All(rows, row => Assert.Contains("FINISHED", row, StringComparison.Ordinal));
        Assert.All(rows, row => Assert.Contains("1m 30s", row, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunsList_WithJson_PrintsTheMatchingRunsInOrder()
    {
        var (experiment, runIds) = await CreateSweepAsync();

        var result = await RunAsync("runs", "list", "-e", experiment, "--filter", "params.model = 'tree'", "--order-by", "metrics.val_auc ASC", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var runs = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(
            [runIds["tree-c"], runIds["tree-a"], runIds["tree-b"]],
            runs.Select(r => r.GetProperty("info").GetProperty("run_id").GetString()));
        Assert.Equal(0.64, runs[0].GetProperty("data").GetProperty("metrics")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task RunsList_WithFilterTheServerRejects_ReturnsInvalidArgumentsWithTheServersMessage()
    {
        var (experiment, _) = await CreateSweepAsync();
        const string BadFilter = "metrics.val_auc >>> 0.5";
        var experimentId = (await _client.GetExperimentByNameAsync(experiment)).ExperimentId;
        var serverError = await Assert.ThrowsAsync<KeelApiException>(
            () => _client.SearchRunsAsync(new RunQuery { ExperimentIds = [experimentId], Filter = BadFilter }));

        var result = await RunAsync("runs", "list", "--experiment", experiment, "--filter", BadFilter);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Equal($"Error: {serverError.Message}", result.Error.Trim());
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task RunsShow_PrintsParamsMetricsTagsAndInputs()
    {
        var experimentId = await _client.CreateExperimentAsync(UniqueName("cli-show"));
        var runId = (await _client.CreateRunAsync(experimentId, "baseline", tags: new Dictionary<string, string> { ["team"] = "forecasting" })).Info.RunId;
        await _client.LogBatchAsync(runId, [new Metric("rmse", 0.4321, 1700000000000, 9)], [new Param("learning_rate", "0.01")]);
        await _client.LogInputsAsync(runId, [new DatasetInput
        {
            Dataset = new Dataset { Name = "telco", Digest = "d41d8cd9", SourceType = "local", Source = """{"uri": "/data/telco.csv"}""" },
            Tags = [new Tag("mlflow.data.context", "training")],
        }]);

        var result = await RunAsync("runs", "show", runId);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        foreach (var expected in new[] { runId, "baseline", "RUNNING", "learning_rate", "0.01", "rmse", "0.4321", "team", "forecasting", "telco", "mlflow.data.context=training" })
        {
            Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunsShow_WithJson_PrintsTheRunAsTheServerHasIt()
    {
        var experimentId = await _client.CreateExperimentAsync(UniqueName("cli-show-json"));
        var runId = (await _client.CreateRunAsync(experimentId, "baseline")).Info.RunId;
        await _client.LogBatchAsync(runId, [new Metric("rmse", 0.4321, 1700000000000, 9)], [new Param("learning_rate", "0.01")], [new Tag("team", "forecasting")]);

        var result = await RunAsync("runs", "show", runId, "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var run = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(runId, run.GetProperty("info").GetProperty("run_id").GetString());
        Assert.Equal(experimentId, run.GetProperty("info").GetProperty("experiment_id").GetString());
        var data = run.GetProperty("data");
        Assert.Equal(0.4321, data.GetProperty("metrics")[0].GetProperty("value").GetDouble());
        Assert.Equal(9, data.GetProperty("metrics")[0].GetProperty("step").GetInt64());
        Assert.Equal("0.01", data.GetProperty("params")[0].GetProperty("value").GetString());
        Assert.Contains(data.GetProperty("tags").EnumerateArray(), t => t.GetProperty("key").GetString() == "team" && t.GetProperty("value").GetString() == "forecasting");
    }

    [Fact]
    public async Task RunsShow_WithUnknownRun_ReturnsNotFound()
    {
        const string Missing = "0123456789abcdef0123456789abcdef";

        var result = await RunAsync("runs", "show", Missing);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains(Missing, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task RunsList_WithUnknownExperiment_ReturnsNotFound()
    {
        var missing = UniqueName("cli-missing");

        var result = await RunAsync("runs", "list", "--experiment", missing);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains($"'{missing}'", result.Error, StringComparison.Ordinal);
    }
}
